package io.opflow.runtime;

import io.opflow.schemas.OpflowTopic;
import io.opflow.schemas.OpflowTopics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Settings every Opflow role shares: how to reach Kafka, topic names, the metrics endpoint, and
 * pass-through settings for the embedded Kafka clients.
 *
 * <p>Any key starting with {@value #KAFKA_PREFIX} is handed, without the prefix, to every Kafka
 * client the role creates (for example {@code kafka.security.protocol=SSL}); those values win over
 * Opflow's own client defaults. Role configs ({@code WorkerConfig}, {@code HooksRunnerConfig})
 * extend this class and add their keys to {@link #baseConfigDef()}.
 */
public class RuntimeConfig extends AbstractConfig {

  /** Kafka {@code bootstrap.servers} of the cluster. */
  public static final String BOOTSTRAP_SERVERS_CONFIG =
      CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG;

  private static final String BOOTSTRAP_SERVERS_DOC =
      "Host and port pairs of the Kafka cluster, comma separated.";

  /** Prefix of every Opflow topic name. */
  public static final String TOPIC_PREFIX_CONFIG = "opflow.topic.prefix";

  private static final String TOPIC_PREFIX_DOC =
      "Prefix of every Opflow topic name, such as 'opflow.' for 'opflow.step-events'.";

  /** Partitions of the Opflow topics a role creates when they are missing. */
  public static final String TOPIC_PARTITIONS_CONFIG = "opflow.topic.partitions";

  private static final String TOPIC_PARTITIONS_DOC =
      "Partitions of the Opflow topics created when they are missing; when set, also of step-tasks"
          + " unless opflow.topic.step-tasks.partitions is set. Give every role of a cluster the"
          + " same value, as whichever starts first creates them.";

  /** Partitions of {@code step-tasks} when a role creates it. */
  public static final String TOPIC_TASK_PARTITIONS_CONFIG = "opflow.topic.step-tasks.partitions";

  private static final String TOPIC_TASK_PARTITIONS_DOC =
      "Partitions of step-tasks when it is created. Workers share them: a count that the number of"
          + " workers divides gives each the same share of tasks (12: 1, 2, 3, 4 or 6 workers).";

  /** Replication factor of the Opflow topics a role creates when they are missing. */
  public static final String TOPIC_REPLICATION_FACTOR_CONFIG = "opflow.topic.replication.factor";

  private static final String TOPIC_REPLICATION_FACTOR_DOC =
      "Replication factor of the Opflow topics created when they are missing; use 3 in production.";

  /** Port of the HTTP endpoint serving /metrics and /health. */
  public static final String METRICS_PORT_CONFIG = "opflow.metrics.port";

  private static final String METRICS_PORT_DOC =
      "Port of the HTTP endpoint serving /metrics (Prometheus) and /health; 0 picks a free port,"
          + " -1 disables the endpoint.";

  /** Address the /metrics and /health endpoint listens on. */
  public static final String METRICS_ADDRESS_CONFIG = "opflow.metrics.address";

  private static final String METRICS_ADDRESS_DOC =
      "Address the /metrics and /health endpoint listens on: 0.0.0.0 for every interface,"
          + " 127.0.0.1 for this host only, or one interface's address.";

  /** The isolation level of every consumer a role creates, unless overridden. */
  private static final String READ_COMMITTED = "read_committed";

  /** Prefix of settings passed through to the Kafka clients. */
  public static final String KAFKA_PREFIX = "kafka.";

  /**
   * Returns a fresh definition of the shared keys, for role configs to extend.
   *
   * @return the shared keys
   */
  public static ConfigDef baseConfigDef() {
    return new ConfigDef()
        .define(
            BOOTSTRAP_SERVERS_CONFIG,
            Type.LIST,
            ConfigDef.NO_DEFAULT_VALUE,
            new ServerList(),
            Importance.HIGH,
            BOOTSTRAP_SERVERS_DOC)
        .define(
            TOPIC_PREFIX_CONFIG,
            Type.STRING,
            OpflowTopics.DEFAULT_PREFIX,
            new ConfigDef.NonNullValidator(),
            Importance.MEDIUM,
            TOPIC_PREFIX_DOC)
        .define(
            TOPIC_PARTITIONS_CONFIG,
            Type.INT,
            OpflowTopics.DEFAULT_PARTITIONS,
            Range.atLeast(1),
            Importance.LOW,
            TOPIC_PARTITIONS_DOC)
        .define(
            TOPIC_TASK_PARTITIONS_CONFIG,
            Type.INT,
            OpflowTopics.DEFAULT_TASK_PARTITIONS,
            Range.atLeast(1),
            Importance.LOW,
            TOPIC_TASK_PARTITIONS_DOC)
        .define(
            TOPIC_REPLICATION_FACTOR_CONFIG,
            Type.SHORT,
            OpflowTopics.DEFAULT_REPLICATION_FACTOR,
            Range.atLeast(1),
            Importance.MEDIUM,
            TOPIC_REPLICATION_FACTOR_DOC)
        .define(
            METRICS_PORT_CONFIG,
            Type.INT,
            -1,
            Range.between(-1, 65535),
            Importance.MEDIUM,
            METRICS_PORT_DOC)
        .define(
            METRICS_ADDRESS_CONFIG,
            Type.STRING,
            "0.0.0.0",
            new ConfigDef.NonEmptyString(),
            Importance.LOW,
            METRICS_ADDRESS_DOC);
  }

  /** Requires at least one server; its description is what the generated settings docs show. */
  private static final class ServerList implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (value == null || ((List<?>) value).isEmpty()) {
        throw new ConfigException(name, value, "must list at least one host:port");
      }
    }

    @Override
    public String toString() {
      return "at least one host:port";
    }
  }

  /**
   * Creates a config from properties checked against {@code definition}.
   *
   * @param definition the keys, usually {@link #baseConfigDef()} plus the role's own
   * @param props the settings
   * @throws org.apache.kafka.common.config.ConfigException naming a missing or invalid key
   */
  protected RuntimeConfig(ConfigDef definition, Map<?, ?> props) {
    super(definition, props, false);
  }

  /**
   * Creates a config with only the shared keys.
   *
   * @param props the settings
   * @return the config
   */
  public static RuntimeConfig of(Map<?, ?> props) {
    return new RuntimeConfig(baseConfigDef(), props);
  }

  /**
   * Returns the topic names under the configured prefix, with the configured partitions and
   * replication factor for topics that are missing.
   *
   * @return the topics
   */
  public OpflowTopics topics() {
    OpflowTopics.Builder topics =
        OpflowTopics.builder()
            .prefix(getString(TOPIC_PREFIX_CONFIG))
            .replicationFactor(getShort(TOPIC_REPLICATION_FACTOR_CONFIG));
    if (originals().containsKey(TOPIC_PARTITIONS_CONFIG)) {
      topics.partitions(getInt(TOPIC_PARTITIONS_CONFIG));
    }
    if (originals().containsKey(TOPIC_TASK_PARTITIONS_CONFIG)) {
      topics.partitions(OpflowTopic.STEP_TASKS, getInt(TOPIC_TASK_PARTITIONS_CONFIG));
    }
    return topics.build();
  }

  /**
   * Returns the metrics endpoint port: 0 for any free port, -1 when disabled.
   *
   * @return the port setting
   */
  public int metricsPort() {
    return getInt(METRICS_PORT_CONFIG);
  }

  /**
   * Returns the address the /metrics and /health endpoint listens on.
   *
   * @return an address, such as {@code 0.0.0.0}
   */
  public String metricsAddress() {
    return getString(METRICS_ADDRESS_CONFIG);
  }

  /**
   * Returns the settings given with the {@value #KAFKA_PREFIX} prefix, prefix removed.
   *
   * @return pass-through client settings
   */
  public Map<String, Object> kafkaOverrides() {
    return originalsWithPrefix(KAFKA_PREFIX);
  }

  /**
   * Returns settings for a byte-array producer: acks=all, idempotence on, {@code linger.ms=0}, then
   * the pass-through settings on top.
   *
   * @param clientId the client id
   * @return producer settings
   */
  public Map<String, Object> producerProps(String clientId) {
    // Kafka 4 producers default linger.ms to 5 ms; events are latency-bound, not batch-bound.
    return producerProps(clientId, 0);
  }

  /**
   * Returns settings for a byte-array producer: acks=all, idempotence on, the given {@code
   * linger.ms}, then the pass-through settings on top ({@code kafka.linger.ms} wins).
   *
   * @param clientId the client id
   * @param lingerMillis how long the producer waits to fill a batch before it sends
   * @return producer settings
   */
  public Map<String, Object> producerProps(String clientId, int lingerMillis) {
    Map<String, Object> props = common(clientId);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMillis);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.putAll(kafkaOverrides());
    return props;
  }

  /**
   * Returns settings for a byte-array consumer with manual commits, reading from the earliest
   * offset when the group has none and only committed transactional data, then the pass-through
   * settings on top.
   *
   * <p>Isolation is {@code read_committed} on purpose (a {@code kafka.isolation.level} setting
   * wins). The coordinator writes step tasks, skip and run events inside exactly-once transactions.
   * A transaction that aborts, for example because the coordinator crashed before committing,
   * leaves its records in the log, and the recovered coordinator issues the same step attempt
   * again. A {@code read_uncommitted} worker would run the op of the aborted task and then of the
   * re-issued one: twice, with its side effects. A hooks-runner or sensor would fire on a verdict
   * that never happened. The price is that a reader sees a transaction's records only once it
   * commits, so the coordinator keeps its commit interval short.
   *
   * @param clientId the client id
   * @param groupId the group id, or null for a consumer that only assigns partitions
   * @return consumer settings
   */
  public Map<String, Object> consumerProps(String clientId, String groupId) {
    Map<String, Object> props = common(clientId);
    if (groupId != null) {
      props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    }
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, READ_COMMITTED);
    // A role that starts before the coordinator must not make the broker create Opflow's topics
    // with broker defaults: runs and step-events must keep the same partition count.
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.putAll(kafkaOverrides());
    if (groupId == null) {
      props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    }
    return props;
  }

  private Map<String, Object> common(String clientId) {
    Map<String, Object> props = new HashMap<>();
    props.put(BOOTSTRAP_SERVERS_CONFIG, getList(BOOTSTRAP_SERVERS_CONFIG));
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    return props;
  }
}
