package io.opflow.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A network partition of one process, made with iptables: every packet a user id sends is dropped,
 * so a JVM running as that user (and only it) is cut off from the Kafka nodes and everything else
 * while it goes on running. Needs root and iptables; {@link #available()} says whether this machine
 * has both.
 */
final class NetworkCut implements AutoCloseable {
  private static final Path IPTABLES = Path.of("/usr/sbin/iptables");

  private final int uid;

  private NetworkCut(int uid) {
    this.uid = uid;
  }

  /** Returns whether partitions can be made here: running as root, with iptables installed. */
  static boolean available() {
    return "root".equals(System.getProperty("user.name")) && Files.isExecutable(IPTABLES);
  }

  /**
   * Cuts the processes of a user id off the network until {@link #close()}.
   *
   * @param uid the user id whose packets are dropped
   * @return the cut
   * @throws IOException when iptables refuses the rule
   */
  static NetworkCut of(int uid) throws IOException, InterruptedException {
    iptables("-A", uid);
    return new NetworkCut(uid);
  }

  /** Heals the partition. */
  @Override
  public void close() throws IOException, InterruptedException {
    iptables("-D", uid);
  }

  private static void iptables(String action, int uid) throws IOException, InterruptedException {
    List<String> command =
        List.of(
            IPTABLES.toString(),
            action,
            "OUTPUT",
            "-m",
            "owner",
            "--uid-owner",
            Integer.toString(uid),
            "-j",
            "DROP");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output.strip());
    }
  }
}
