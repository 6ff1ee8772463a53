package io.opflow.cli.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * SCRAM-SHA-512 users read from a file of {@code SCRAM-SHA-512=[name=NAME,password=PASSWORD]}
 * lines, the form {@code kafka-storage format --add-scram} takes, so one file serves a broker's
 * first start and {@code opflow users}. A password never appears in an error.
 */
public final class ScramUsers {
  /** The only mechanism Opflow's examples and this reader use. */
  public static final String MECHANISM = "SCRAM-SHA-512";

  private static final int ITERATIONS = 8192;
  private static final Pattern LINE =
      Pattern.compile("SCRAM-SHA-512=\\[name=([^,\\]]+),password=([^\\]]+)\\]");
  private static final Pattern JAAS_USERNAME = Pattern.compile("username=\"([^\"]+)\"");

  private ScramUsers() {}

  /**
   * One user and its password.
   *
   * @param name the user name; its principal is {@code User:<name>}
   * @param password the password
   */
  public record User(String name, String password) {
    @Override
    public String toString() {
      return "User[name=" + name + "]";
    }

    /**
     * Returns the admin client's change that creates this user or sets its password.
     *
     * @return the upsertion
     */
    public UserScramCredentialUpsertion upsertion() {
      return new UserScramCredentialUpsertion(
          name, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), password);
    }
  }

  /**
   * Reads the users of a file; blank lines and lines starting with {@code #} are skipped.
   *
   * @param file the file
   * @return its users, in order
   * @throws BadInputException when it cannot be read, or a line is not of the form (naming the line
   *     by number only)
   */
  public static List<User> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new BadInputException("cannot read --scram-users " + file + ": " + e.getMessage());
    }
    List<User> users = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher matcher = LINE.matcher(line);
      if (!matcher.matches()) {
        throw new BadInputException(
            file + " line " + (i + 1) + " is not SCRAM-SHA-512=[name=NAME,password=PASSWORD]");
      }
      users.add(new User(matcher.group(1), matcher.group(2)));
    }
    return users;
  }

  /**
   * Returns the SCRAM user Kafka client settings authenticate as, from their {@code
   * sasl.jaas.config}.
   *
   * @param clientProps the settings
   * @return the user name, or empty when they name none
   */
  public static Optional<String> authenticatedUser(Map<String, Object> clientProps) {
    Object jaas = clientProps.get("sasl.jaas.config");
    if (jaas == null) {
      return Optional.empty();
    }
    Matcher matcher = JAAS_USERNAME.matcher(jaas.toString());
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }
}
