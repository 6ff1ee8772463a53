package io.opflow.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The users who may open the UI, for HTTP basic authentication. Passwords are kept only as SHA-256
 * digests and compared in constant time; {@link #toString()} names the users alone. Basic
 * authentication sends the password with every request: serve the UI over TLS, for example behind a
 * reverse proxy that terminates it (docs/ui.md).
 */
public final class UiLogin {
  private final Map<String, byte[]> digests;

  private UiLogin(Map<String, byte[]> digests) {
    this.digests = Map.copyOf(digests);
  }

  /**
   * Reads users from a file of {@code user:password} lines; blank lines and lines starting with
   * {@code #} are ignored. Keep the file readable by the UI's user only.
   *
   * @param file the file
   * @return the login
   * @throws IllegalArgumentException naming the line that is not {@code user:password}, or when the
   *     file names no user
   * @throws UncheckedIOException when the file cannot be read
   */
  public static UiLogin fromFile(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the UI's users file " + file, e);
    }
    Map<String, byte[]> digests = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon < 1 || colon == line.length() - 1) {
        throw new IllegalArgumentException(
            file + " line " + (i + 1) + ": expected user:password (the password is not shown)");
      }
      digests.put(line.substring(0, colon), digest(line.substring(colon + 1)));
    }
    if (digests.isEmpty()) {
      throw new IllegalArgumentException(file + " names no user: add user:password lines");
    }
    return new UiLogin(digests);
  }

  /** Returns a login for one user; for tests and embedding. */
  public static UiLogin of(String user, String password) {
    return new UiLogin(Map.of(user, digest(password)));
  }

  /** Returns whether {@code user} may log in with {@code password}. */
  public boolean accepts(String user, String password) {
    byte[] expected = digests.get(user);
    byte[] given = digest(password);
    // Compared even for an unknown user, so the time taken does not tell which users exist.
    return MessageDigest.isEqual(expected == null ? new byte[given.length] : expected, given)
        && expected != null;
  }

  @Override
  public String toString() {
    return "UiLogin[users=" + new TreeSet<>(digests.keySet()) + "]";
  }

  private static byte[] digest(String password) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
