package io.opflow.cli;

import io.opflow.cli.internal.PropertiesFile;
import io.opflow.client.OpflowClient;
import io.opflow.schemas.OpflowTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * Options naming the Kafka cluster, the topic prefix, how long to wait for the broker, and the
 * clients' settings (credentials) from a file.
 */
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

  @Option(
      names = "--command-config",
      paramLabel = "FILE",
      description =
          "A properties file of Kafka client settings, such as security.protocol, sasl.mechanism"
              + " and sasl.jaas.config, as Kafka's own tools take it: credentials never go on the"
              + " command line.")
  Path commandConfig;

  OpflowClient client() {
    return OpflowClient.create(clientProps(), OpflowTopics.withPrefix(topicPrefix), connectTimeout);
  }

  /** Returns the Kafka clients' settings: the --command-config file's, then the servers. */
  Map<String, Object> clientProps() {
    Map<String, Object> props = new LinkedHashMap<>();
    if (commandConfig != null) {
      props.putAll(PropertiesFile.read(commandConfig, "--command-config"));
    }
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return props;
  }
}
