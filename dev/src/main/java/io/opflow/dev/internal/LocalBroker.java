package io.opflow.dev.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node Kafka broker (KRaft, broker and controller in one) for trying Opflow on one
 * machine: it listens on 127.0.0.1 at a port of your choice and does not create topics on demand,
 * as a production cluster should not (the roles create Opflow's topics). Not for production.
 */
public final class LocalBroker implements AutoCloseable {
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaRaftServer server;
  private final Path dataDir;
  private final boolean deleteOnClose;
  private final String address;

  private LocalBroker(KafkaRaftServer server, Path dataDir, boolean deleteOnClose, String address) {
    this.server = server;
    this.dataDir = dataDir;
    this.deleteOnClose = deleteOnClose;
    this.address = address;
  }

  /**
   * Formats the data directory if needed, starts the broker and waits until it answers.
   *
   * @param port the client port on 127.0.0.1
   * @param dataDir where the broker keeps its data, or null for a temporary directory deleted on
   *     close
   * @return the running broker
   * @throws PortTakenException when the port is taken
   */
  public static LocalBroker start(int port, Path dataDir) {
    requireFree(port);
    boolean temporary = dataDir == null;
    Path dir = temporary ? createTempDir() : dataDir;
    Properties props = serverProperties(dir, port, freePort());
    format(props, dir);
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    LocalBroker broker = new LocalBroker(server, dir, temporary, "127.0.0.1:" + port);
    server.startup();
    broker.awaitReady();
    return broker;
  }

  /**
   * Returns the address clients use.
   *
   * @return {@code 127.0.0.1:PORT}
   */
  public String address() {
    return address;
  }

  /**
   * Returns where the broker keeps its data.
   *
   * @return the data directory
   */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * Returns whether the data directory is deleted on close.
   *
   * @return true for a temporary directory
   */
  public boolean temporary() {
    return deleteOnClose;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    if (deleteOnClose) {
      deleteRecursively(dataDir);
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", address))) {
      while (!answers(admin)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the broker did not answer within " + STARTUP_TIMEOUT);
        }
      }
    }
  }

  private static boolean answers(Admin admin) {
    try {
      return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the broker", e);
    }
  }

  private static Properties serverProperties(Path dir, int port, int controllerPort) {
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    props.put("log.dirs", dir.resolve("logs").toString());
    props.put("offsets.topic.replication.factor", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "false");
    return props;
  }

  private static void format(Properties props, Path dir) {
    Path file = dir.resolve("server.properties");
    try (OutputStream out = Files.newOutputStream(file)) {
      props.store(out, "Opflow local broker");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String[] args = {
      "format", "-t", Uuid.randomUuid().toString(), "-c", file.toString(), "--ignore-formatted"
    };
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      StorageTool.execute(args, print);
    } catch (RuntimeException e) {
      throw new IllegalStateException("formatting the broker's storage failed: " + output, e);
    }
  }

  private static void requireFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new PortTakenException(
          "port " + port + " is taken (" + e.getMessage() + "): pick another with --port");
    }
  }

  /** The port asked for is taken: bad input, for the command to report. */
  public static final class PortTakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PortTakenException(String message) {
      super(message);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  private static Path createTempDir() {
    try {
      return Files.createTempDirectory("opflow-broker-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Left behind in the temporary directory; nothing else to do.
    }
  }
}
