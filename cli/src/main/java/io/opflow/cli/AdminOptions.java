package io.opflow.cli;

import io.opflow.cli.internal.PropertiesFile;
import io.opflow.schemas.OpflowTopics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * Options of the commands an operator runs with an admin principal ({@code topics}, {@code acls}):
 * the cluster, the topic prefix, and the admin client's settings from a properties file, as Kafka's
 * own tools take them, so credentials never go on the command line.
 */
final class AdminOptions {
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
      names = "--command-config",
      paramLabel = "FILE",
      description =
          "A properties file of Kafka admin client settings, such as security.protocol,"
              + " sasl.mechanism and sasl.jaas.config, as Kafka's own tools take it.")
  Path commandConfig;

  /** Returns the admin client's settings: the file's, then the bootstrap servers. */
  Map<String, Object> adminProps() {
    Map<String, Object> props = new LinkedHashMap<>();
    if (commandConfig != null) {
      props.putAll(PropertiesFile.read(commandConfig, "--command-config"));
    }
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return props;
  }
}
