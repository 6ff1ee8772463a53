package io.opflow.benchmarks;

import io.opflow.testkit.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

/**
 * Three KRaft nodes (each broker and controller) in JVMs of their own, for the fault matrix: any
 * one may be killed with -9 and started again on its data directory.
 */
final class KafkaCluster implements AutoCloseable {
  static final int NODES = 3;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Path logs;
  private final Path dataDir;
  private final String clusterId = Uuid.randomUuid().toString();
  private final List<Integer> brokerPorts = new ArrayList<>();
  private final List<Integer> controllerPorts = new ArrayList<>();
  private final ChildProcess[] nodes = new ChildProcess[NODES];

  private KafkaCluster(Path logs, Path dataDir) {
    this.logs = logs;
    this.dataDir = dataDir;
    for (int i = 0; i < NODES; i++) {
      brokerPorts.add(FreePorts.next());
      controllerPorts.add(FreePorts.next());
    }
  }

  /** Starts the three nodes and waits until all three are in the cluster. */
  static KafkaCluster start(Path logs) throws IOException, InterruptedException {
    KafkaCluster cluster =
        new KafkaCluster(logs, Files.createTempDirectory("opflow-fault-matrix-kafka-"));
    // All at once: a node's startup waits for a quorum of controllers.
    for (int node = 1; node <= NODES; node++) {
      cluster.launch(node);
    }
    for (ChildProcess node : cluster.nodes) {
      node.awaitLine(KafkaNodeMain.READY, START_TIMEOUT);
    }
    cluster.awaitNodes(NODES);
    return cluster;
  }

  String bootstrapServers() {
    return brokerPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  /** Kills node {@code node} (1 to 3) with -9. */
  void kill9(int node) throws InterruptedException {
    nodes[node - 1].kill9();
  }

  /** Starts node {@code node} again on its data directory and waits until it is back. */
  void restart(int node) throws IOException, InterruptedException {
    launch(node).awaitLine(KafkaNodeMain.READY, START_TIMEOUT);
    awaitNodes(NODES);
  }

  private ChildProcess launch(int node) throws IOException {
    ChildProcess child =
        ChildProcess.start(
            "kafka-" + node,
            logs,
            List.of("-Xmx512m"),
            KafkaNodeMain.class.getName(),
            List.of(
                Integer.toString(node),
                dataDir.resolve("node-" + node).toString(),
                clusterId,
                join(brokerPorts),
                join(controllerPorts)));
    nodes[node - 1] = child;
    return child;
  }

  private void awaitNodes(int count) throws InterruptedException {
    long end = System.nanoTime() + START_TIMEOUT.toNanos();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      while (System.nanoTime() < end) {
        try {
          if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= count) {
            return;
          }
        } catch (Exception e) {
          // not yet
        }
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException(count + " Kafka nodes did not join within " + START_TIMEOUT);
  }

  private static String join(List<Integer> ports) {
    return ports.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  @Override
  public void close() throws InterruptedException {
    for (ChildProcess node : nodes) {
      if (node != null && node.isAlive()) {
        node.close();
      }
    }
  }
}
