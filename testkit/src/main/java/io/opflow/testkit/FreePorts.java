package io.opflow.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for a test to hand to a process that will listen on them later.
 *
 * <p>A port the operating system chose for a {@code ServerSocket(0)} comes from the ephemeral
 * range, the same range it draws the local ports of outgoing connections from: between closing the
 * probe and the process binding it, a Kafka client's connection may take it ("Address already in
 * use"). The ports given here lie below the ephemeral range, where the system never assigns one on
 * its own, are checked free when given, and are never given twice by one JVM.
 */
public final class FreePorts {

  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final int LOWEST = 20_000;
  private static final int DEFAULT_EPHEMERAL_LOW = 32_768;
  private static final int ATTEMPTS = 1_000;
  private static final Set<Integer> GIVEN = new HashSet<>();

  private FreePorts() {}

  /**
   * Returns a port on which nothing listens now, outside the range the system assigns to outgoing
   * connections.
   *
   * @return a port between 20000 and the start of the ephemeral range
   * @throws IllegalStateException if no free port was found after many tries
   */
  public static synchronized int next() {
    int high = ephemeralLow();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int port = random.nextInt(LOWEST, high);
      if (!GIVEN.contains(port) && isFree(port)) {
        GIVEN.add(port);
        return port;
      }
    }
    throw new IllegalStateException(
        "no free port between " + LOWEST + " and " + high + " after " + ATTEMPTS + " tries");
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int ephemeralLow() {
    try {
      if (Files.isReadable(EPHEMERAL_RANGE)) {
        String[] range = Files.readString(EPHEMERAL_RANGE).trim().split("\\s+", -1);
        int low = Integer.parseInt(range[0]);
        return low > LOWEST + 1_000 ? low : DEFAULT_EPHEMERAL_LOW;
      }
      return DEFAULT_EPHEMERAL_LOW;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NumberFormatException e) {
      return DEFAULT_EPHEMERAL_LOW;
    }
  }
}
