package io.opflow.cli;

import io.opflow.client.OpflowClient;
import io.opflow.schemas.OpflowTopics;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/** Options naming the Kafka cluster and the topic prefix. */
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

  OpflowClient client() {
    return OpflowClient.create(
        Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
        OpflowTopics.withPrefix(topicPrefix));
  }
}
