package io.opflow.cli;

import io.opflow.cli.internal.BadInputException;
import io.opflow.cli.internal.ScramUsers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints or creates the SCRAM-SHA-512 users of a file, one principal per role. */
@Command(
    name = "users",
    mixinStandardHelpOptions = true,
    description =
        "Print the SCRAM-SHA-512 users of a file, and with --apply create them (or set their"
            + " passwords) through the admin client (docs/security.md). The file has one"
            + " SCRAM-SHA-512=[name=NAME,password=PASSWORD] a line, as kafka-storage --add-scram"
            + " takes it; the user this command authenticates as is left alone.")
final class UsersCommand implements Callable<Integer> {
  @Mixin AdminOptions admin;

  @Spec CommandSpec spec;

  @Option(
      names = "--scram-users",
      required = true,
      paramLabel = "FILE",
      description = "The users and their passwords, readable by the operator only.")
  Path file;

  @Option(names = "--apply", description = "Create the users, not only print them.")
  boolean apply;

  @Override
  public Integer call() throws InterruptedException {
    Optional<String> self = ScramUsers.authenticatedUser(admin.adminProps());
    List<ScramUsers.User> users =
        ScramUsers.read(file).stream()
            .filter(u -> self.map(s -> !s.equals(u.name())).orElse(true))
            .toList();
    PrintWriter out = spec.commandLine().getOut();
    users.forEach(user -> out.println("User:" + user.name() + " " + ScramUsers.MECHANISM));
    self.ifPresent(s -> out.println("User:" + s + " left alone: this command authenticates as it"));
    if (apply) {
      upsert(
          users.stream().<UserScramCredentialAlteration>map(ScramUsers.User::upsertion).toList());
      out.println(users.size() + " SCRAM users created or updated");
    }
    out.flush();
    return 0;
  }

  private void upsert(List<UserScramCredentialAlteration> upsertions) throws InterruptedException {
    try (Admin client = Admin.create(admin.adminProps())) {
      client.alterUserScramCredentials(upsertions).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new BadInputException(
          "could not create the SCRAM users ("
              + (e.getCause() == null ? e : e.getCause())
              + "): run this as a principal that may alter the cluster (a super user), with its"
              + " settings in --command-config");
    }
  }
}
