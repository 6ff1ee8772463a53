package io.opflow.cli;

import io.opflow.client.OpflowClient;
import io.opflow.schemas.OpflowTopics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/** Options naming the Kafka cluster, the topic prefix and how long to wait for the broker. */
final class KafkaOptions {
  @Option(
      names = {"-b", "--bootstrap-servers"},
      required = true,
      description = "Kafka bootstrap servers, such as localhost:9092.")
  String bootstrapServers;

  @Option(
      names = "--topic-prefix",
      defaultValue = OpflowTopics.DEFAULT_PREFIX,
      description = "Prefix of the Opflow topics (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(
      names = "--connect-timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      description =
          "How long to wait for the Kafka broker to answer before exiting with code 3, such as"
              + " 30s or PT2M (default: ${DEFAULT-VALUE}).")
  Duration connectTimeout;

  OpflowClient client() {
    return OpflowClient.create(
        Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
        OpflowTopics.withPrefix(topicPrefix),
        connectTimeout);
  }
}
