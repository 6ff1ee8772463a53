package io.opflow.cli;

import io.opflow.cli.internal.BadInputException;
import io.opflow.cli.internal.PropertiesFile;
import io.opflow.schemas.OpflowTopics;
import io.opflow.schemas.TopicAdmin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Option;

/** Options every role command takes. */
final class RoleOptions {
  private static final String KAFKA_PREFIX = "kafka.";

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
      names = "--metrics-address",
      defaultValue = "0.0.0.0",
      description =
          "Address /metrics and /health listen on: 0.0.0.0 for every interface, 127.0.0.1 for"
              + " this host only (default: ${DEFAULT-VALUE}).")
  String metricsAddress = "0.0.0.0";

  @Option(
      names = "--connect-timeout",
      paramLabel = "DURATION",
      description =
          "How long to wait at start for the Kafka broker to answer before exiting with code 3,"
              + " such as 30s or PT2M; default: as long as it takes, with /health DOWN saying why.")
  Duration connectTimeout;

  @Option(
      names = "--config",
      paramLabel = "KEY=VALUE",
      description =
          "A role setting passed through, repeatable, such as opflow.lease.ms=5000 or"
              + " kafka.security.protocol=SSL.")
  Map<String, String> config = new LinkedHashMap<>();

  @Option(
      names = "--config-file",
      paramLabel = "FILE",
      description =
          "A properties file of role settings, as --config takes them (opflow.*, and kafka.* for"
              + " the Kafka clients: kafka.security.protocol, kafka.sasl.jaas.config, ...), so"
              + " credentials stay out of the command line; --config wins over it.")
  Path configFile;

  // The file's settings, then --config's.
  private Map<String, String> settings() {
    Map<String, String> all = new LinkedHashMap<>();
    if (configFile != null) {
      all.putAll(PropertiesFile.read(configFile, "--config-file"));
    }
    all.putAll(config);
    return all;
  }

  /**
   * Creates any missing Opflow topics before the role starts, as the role's config describes them
   * (prefix, {@code opflow.topic.partitions}, {@code opflow.topic.replication.factor}), so a
   * consumer that subscribes first cannot have the broker auto-create them with the wrong partition
   * count.
   */
  void ensureTopics(OpflowTopics topics) {
    try (TopicAdmin admin = TopicAdmin.create(adminProps())) {
      admin.ensureTopics(topics);
    }
  }

  /** Returns Admin client settings: the {@code kafka.*} pass-through ones and the servers. */
  Map<String, Object> adminProps() {
    Map<String, Object> admin = new HashMap<>();
    settings()
        .forEach(
            (k, v) -> {
              if (k.startsWith(KAFKA_PREFIX)) {
                admin.put(k.substring(KAFKA_PREFIX.length()), v);
              }
            });
    admin.put("bootstrap.servers", bootstrapServers);
    return admin;
  }

  /** Returns the role settings: bootstrap servers, topic prefix, then the pass-through ones. */
  Map<String, Object> props() {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("opflow.topic.prefix", topicPrefix);
    props.putAll(settings());
    return props;
  }

  /**
   * Builds the role's settings from {@link #props()} plus {@code extra}, refusing an unknown key or
   * an invalid value as bad input before anything connects.
   *
   * @param keys the role's keys
   * @param factory builds the role's config, throwing {@link ConfigException} on a bad value
   * @param extra settings the command adds
   */
  <T> T settings(
      ConfigDef keys, Function<Map<String, Object>, T> factory, Map<String, Object> extra) {
    for (String key : settings().keySet()) {
      if (!key.startsWith(KAFKA_PREFIX) && !keys.names().contains(key)) {
        throw new BadInputException(
            "unknown setting --config "
                + key
                + "; this role knows "
                + String.join(", ", new TreeSet<>(keys.names()))
                + ", and kafka.* goes to its Kafka clients");
      }
    }
    Map<String, Object> props = props();
    props.putAll(extra);
    try {
      return factory.apply(props);
    } catch (ConfigException e) {
      throw new BadInputException("invalid setting: " + e.getMessage());
    }
  }
}
