package io.opflow.benchmarks;

import io.opflow.testkit.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/**
 * One node (broker and controller) of the fault matrix's three-node KRaft cluster, in a JVM of its
 * own: formats its data directory the first time, keeps it across restarts, prints {@value #READY}
 * once started, and serves until the JVM stops. Topics default to replication factor 3 and {@code
 * min.insync.replicas} 2, so one node may die without losing an acknowledged record.
 *
 * <p>Arguments: node id (1 to 3), data directory, cluster id, the three nodes' broker ports joined
 * by commas, the three nodes' controller ports joined by commas.
 */
public final class KafkaNodeMain {
  /** What the node prints once its server has started. */
  static final String READY = "kafka node started";

  private KafkaNodeMain() {}

  /**
   * Formats if needed, starts the node, and serves until the JVM stops.
   *
   * @param args node id, data directory, cluster id, broker ports, controller ports
   * @throws Exception when the node cannot start
   */
  public static void main(String[] args) throws Exception {
    int nodeId = Integer.parseInt(args[0]);
    Path dir = Path.of(args[1]);
    String clusterId = args[2];
    String[] brokerPorts = args[3].split(",");
    String[] controllerPorts = args[4].split(",");
    Properties props = properties(nodeId, dir, brokerPorts, controllerPorts);
    Files.createDirectories(dir);
    EmbeddedKafkaBroker.formatStorage(props, dir, clusterId);
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    server.startup();
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "kafka-node-shutdown"));
    System.out.println(READY);
    System.out.flush();
    new CountDownLatch(1).await();
  }

  private static Properties properties(
      int nodeId, Path dir, String[] brokerPorts, String[] controllerPorts) {
    List<String> voters = new ArrayList<>();
    for (int i = 0; i < controllerPorts.length; i++) {
      voters.add((i + 1) + "@127.0.0.1:" + controllerPorts[i]);
    }
    String brokerPort = brokerPorts[nodeId - 1];
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(nodeId));
    props.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:"
            + brokerPort
            + ",CONTROLLER://127.0.0.1:"
            + controllerPorts[nodeId - 1]);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("controller.quorum.voters", String.join(",", voters));
    props.put("log.dirs", dir.resolve("logs").toString());
    props.put("default.replication.factor", "3");
    props.put("min.insync.replicas", "2");
    props.put("offsets.topic.replication.factor", "3");
    props.put("transaction.state.log.replication.factor", "3");
    props.put("transaction.state.log.min.isr", "2");
    props.put("share.coordinator.state.topic.replication.factor", "3");
    props.put("share.coordinator.state.topic.min.isr", "2");
    props.put("group.initial.rebalance.delay.ms", "0");
    // As a deployment tuned for fast recovery would: a dead worker leaves its group (and its
    // step-tasks partitions) after 6 s, not the broker's default of 45 s (see docs/roles.md).
    props.put("group.consumer.session.timeout.ms", "6000");
    props.put("group.consumer.min.session.timeout.ms", "6000");
    props.put("group.consumer.heartbeat.interval.ms", "500");
    props.put("group.consumer.min.heartbeat.interval.ms", "500");
    props.put("auto.create.topics.enable", "false");
    return props;
  }
}
