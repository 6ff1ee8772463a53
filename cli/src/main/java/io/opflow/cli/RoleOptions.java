package io.opflow.cli;

import io.opflow.schemas.OpflowTopics;
import io.opflow.schemas.TopicAdmin;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every role command takes. */
final class RoleOptions {
  @Option(
      names = {"-b", "--bootstrap-servers"},
      required = true,
      description = "Kafka bootstrap servers, such as localhost:9092.")
  String bootstrapServers;

  @Option(
      names = "--topic-prefix",
      defaultValue = "opflow.",
      description = "Prefix of the Opflow topics (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(
      names = "--metrics-port",
      defaultValue = "9400",
      description =
          "Port of /metrics (Prometheus) and /health; 0 picks a free port (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(
      names = "--config",
      paramLabel = "KEY=VALUE",
      description =
          "A role setting passed through, repeatable, such as opflow.lease.ms=5000 or"
              + " kafka.security.protocol=SSL.")
  Map<String, String> config = new LinkedHashMap<>();

  /**
   * Creates any missing Opflow topics before the role starts, so a consumer that subscribes first
   * cannot have the broker auto-create them with the wrong partition count.
   */
  void ensureTopics() {
    Map<String, Object> admin = new HashMap<>();
    config.forEach(
        (k, v) -> {
          if (k.startsWith("kafka.")) {
            admin.put(k.substring("kafka.".length()), v);
          }
        });
    admin.put("bootstrap.servers", bootstrapServers);
    try (TopicAdmin topics = TopicAdmin.create(admin)) {
      topics.ensureTopics(OpflowTopics.withPrefix(topicPrefix));
    }
  }

  /** Returns the role settings: bootstrap servers, topic prefix, then the pass-through ones. */
  Map<String, Object> props() {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("opflow.topic.prefix", topicPrefix);
    props.putAll(config);
    return props;
  }
}
