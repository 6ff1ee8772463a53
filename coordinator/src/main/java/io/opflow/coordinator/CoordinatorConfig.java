package io.opflow.coordinator;

import io.opflow.schemas.OpflowTopic;
import io.opflow.schemas.OpflowTopics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of a {@link Coordinator}, typed and documented where they are defined.
 *
 * <p>Every key prefixed {@value #KAFKA_PREFIX} is passed, without the prefix, to the embedded Kafka
 * Streams client (and from there to its consumers, producers and admin client), for example {@code
 * kafka.security.protocol=SSL} or {@code kafka.producer.compression.type=lz4}.
 *
 * <pre>{@code
 * CoordinatorConfig config = new CoordinatorConfig(Map.of("bootstrap.servers", "kafka:9092"));
 * }</pre>
 */
public final class CoordinatorConfig extends AbstractConfig {

  /** Kafka bootstrap servers. */
  public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";

  private static final String BOOTSTRAP_SERVERS_DOC =
      "Kafka bootstrap servers, host:port separated by commas.";

  /** Prefix of every Opflow topic name. */
  public static final String TOPIC_PREFIX_CONFIG = "opflow.topic.prefix";

  private static final String TOPIC_PREFIX_DOC =
      "Prefix of every Opflow topic name; all roles of one cluster use the same.";

  /** Partition count of the topics the coordinator creates when they are missing. */
  public static final String TOPIC_PARTITIONS_CONFIG = "opflow.topic.partitions";

  /** Partition count of {@code step-tasks} when the coordinator creates it. */
  public static final String TOPIC_TASK_PARTITIONS_CONFIG = "opflow.topic.step-tasks.partitions";

  private static final String TOPIC_PARTITIONS_DOC =
      "Partitions of the Opflow topics the coordinator creates when they are missing; when set,"
          + " also of step-tasks unless "
          + TOPIC_TASK_PARTITIONS_CONFIG
          + " is set.";

  private static final String TOPIC_TASK_PARTITIONS_DOC =
      "Partitions of step-tasks when the coordinator creates it. Workers share them: a count that"
          + " the number of workers divides gives each the same share of tasks (12: 1, 2, 3, 4"
          + " or 6 workers).";

  /** Replication factor of the topics the coordinator creates when they are missing. */
  public static final String TOPIC_REPLICATION_FACTOR_CONFIG = "opflow.topic.replication.factor";

  private static final String TOPIC_REPLICATION_FACTOR_DOC =
      "Replication factor of the topics the coordinator creates; use 3 in production.";

  /** Kafka Streams application id; coordinators sharing it share the work. */
  public static final String APPLICATION_ID_CONFIG = "opflow.coordinator.application.id";

  private static final String APPLICATION_ID_DOC =
      "Kafka Streams application id: coordinators with the same id share the runs.";

  /** How long a worker holds a step between heartbeats. */
  public static final String LEASE_MS_CONFIG = "opflow.lease.ms";

  private static final String LEASE_MS_DOC =
      "Lease given to workers in each step task: how long a worker holds a step between heartbeats"
          + " before the coordinator declares it lost.";

  /** How long a queued step may wait for a worker to start it. */
  public static final String START_TIMEOUT_MS_CONFIG = "opflow.start.timeout.ms";

  private static final String START_TIMEOUT_MS_DOC =
      "How long a queued step may wait for a worker to start it. Past it the attempt ends with a"
          + " StepNotStarted error, retried if the step's retry policy allows, so a task no worker"
          + " can take never waits forever. Allow for the longest queue your workers may have.";

  /** How often the coordinator looks for expired leases and due retries. */
  public static final String PUNCTUATE_INTERVAL_MS_CONFIG = "opflow.punctuate.interval.ms";

  private static final String PUNCTUATE_INTERVAL_MS_DOC =
      "How often, by wall clock, the coordinator looks for expired leases and due retries.";

  /** How long the coordinator remembers a finished run, to ignore duplicates and late events. */
  public static final String FINISHED_RUN_RETENTION_MS_CONFIG = "opflow.finished.run.retention.ms";

  private static final String FINISHED_RUN_RETENTION_MS_DOC =
      "How long the coordinator keeps the small record of a finished run, so a duplicate request"
          + " or a late event for it does nothing. Default 7 days, the retention of the runs and"
          + " step-events topics; a request older than this is a new run.";

  /** Kafka Streams commit interval. */
  public static final String COMMIT_INTERVAL_MS_CONFIG = "opflow.commit.interval.ms";

  private static final String COMMIT_INTERVAL_MS_DOC =
      "Kafka Streams commit interval. With exactly-once each hop waits up to one interval before"
          + " its output is visible, so keep it small.";

  /** The largest outputs of one step, and inputs of one task, that the coordinator passes on. */
  public static final String MAX_INLINE_BYTES_CONFIG = "opflow.coordinator.max.inline.bytes";

  private static final String MAX_INLINE_BYTES_DOC =
      "The largest total JSON size of one step's outputs that the coordinator keeps for"
          + " downstream steps, and of one step task's inputs with the run config. Keep it below"
          + " the producers' max.request.size (1 MiB by default): a step reading larger outputs"
          + " fails with a message instead of the coordinator writing a record Kafka refuses.";

  /** The most steps after a task's own that its worker may run without a task each (0 = none). */
  public static final String CHAIN_MAX_STEPS_CONFIG = "opflow.coordinator.chain.max.steps";

  private static final String CHAIN_MAX_STEPS_DOC =
      "Worker-side chaining: a task also lists up to this many steps after its own that each read"
          + " only the step before them (a linear segment), and the worker that runs the task"
          + " starts each of them itself when the one before succeeds, without a round trip"
          + " through the coordinator. 0 turns chaining off: every step gets its own task.";

  /** Directory of the local state stores. */
  public static final String STATE_DIR_CONFIG = "opflow.state.dir";

  private static final String STATE_DIR_DOC =
      "Directory of the local state stores; keep it across restarts to avoid restoring from the"
          + " changelog. Defaults to a new temporary directory.";

  /** Prefix of the keys passed through to Kafka Streams. */
  public static final String KAFKA_PREFIX = "kafka.";

  private static final ConfigDef DEFINITION = definition();

  /**
   * Parses and validates settings.
   *
   * @param originals the settings; unknown keys other than {@value #KAFKA_PREFIX}* are ignored
   * @throws org.apache.kafka.common.config.ConfigException if a value is missing or invalid
   */
  public CoordinatorConfig(Map<?, ?> originals) {
    super(DEFINITION, originals);
  }

  /**
   * Returns the definition of every key, for generated documentation.
   *
   * @return the config definition
   */
  public static ConfigDef configDef() {
    return new ConfigDef(DEFINITION);
  }

  private static ConfigDef definition() {
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
            APPLICATION_ID_CONFIG,
            Type.STRING,
            "opflow-coordinator",
            new ConfigDef.NonEmptyString(),
            Importance.HIGH,
            APPLICATION_ID_DOC)
        .define(
            LEASE_MS_CONFIG, Type.LONG, 5000L, Range.atLeast(1), Importance.MEDIUM, LEASE_MS_DOC)
        .define(
            START_TIMEOUT_MS_CONFIG,
            Type.LONG,
            Duration.ofMinutes(10).toMillis(),
            Range.atLeast(1),
            Importance.MEDIUM,
            START_TIMEOUT_MS_DOC)
        .define(
            PUNCTUATE_INTERVAL_MS_CONFIG,
            Type.LONG,
            250L,
            Range.atLeast(1),
            Importance.LOW,
            PUNCTUATE_INTERVAL_MS_DOC)
        .define(
            FINISHED_RUN_RETENTION_MS_CONFIG,
            Type.LONG,
            Duration.ofDays(7).toMillis(),
            Range.atLeast(0),
            Importance.LOW,
            FINISHED_RUN_RETENTION_MS_DOC)
        .define(
            COMMIT_INTERVAL_MS_CONFIG,
            Type.LONG,
            100L,
            Range.atLeast(0),
            Importance.LOW,
            COMMIT_INTERVAL_MS_DOC)
        .define(
            MAX_INLINE_BYTES_CONFIG,
            Type.LONG,
            900L * 1024,
            Range.between(1024L, 64L * 1024 * 1024),
            Importance.LOW,
            MAX_INLINE_BYTES_DOC)
        .define(
            CHAIN_MAX_STEPS_CONFIG,
            Type.INT,
            64,
            Range.between(0, 1024),
            Importance.LOW,
            CHAIN_MAX_STEPS_DOC)
        .define(
            STATE_DIR_CONFIG,
            Type.STRING,
            defaultStateDir(),
            new ConfigDef.NonEmptyString(),
            Importance.MEDIUM,
            STATE_DIR_DOC,
            null,
            -1,
            ConfigDef.Width.NONE,
            STATE_DIR_CONFIG,
            List.of(),
            null,
            "a new temporary directory");
  }

  /** Requires at least one server; its description is what the generated settings docs show. */
  private static final class ServerList implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (!(value instanceof List<?> list) || list.isEmpty()) {
        throw new ConfigException(name, value, "at least one host:port is required");
      }
    }

    @Override
    public String toString() {
      return "at least one host:port";
    }
  }

  private static String defaultStateDir() {
    try {
      return Files.createTempDirectory("opflow-coordinator-").toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary state directory", e);
    }
  }

  /**
   * Returns the topic names and settings under the configured prefix.
   *
   * @return the Opflow topics
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
   * Returns how long a queued step may wait for a worker to start it.
   *
   * @return the start timeout in milliseconds
   */
  public long startTimeoutMillis() {
    return getLong(START_TIMEOUT_MS_CONFIG);
  }

  /**
   * Returns the largest outputs of one step, and inputs of one task, the coordinator passes on.
   *
   * @return the limit in bytes
   */
  public long maxInlineBytes() {
    return getLong(MAX_INLINE_BYTES_CONFIG);
  }

  /**
   * Returns how many steps after its own one task may chain.
   *
   * @return the most chained steps per task; 0 when chaining is off
   */
  public int chainMaxSteps() {
    return getInt(CHAIN_MAX_STEPS_CONFIG);
  }

  /**
   * Returns the bootstrap servers as one comma-separated string.
   *
   * @return the bootstrap servers
   */
  public String bootstrapServers() {
    return String.join(",", getList(BOOTSTRAP_SERVERS_CONFIG));
  }

  /**
   * Returns the application id.
   *
   * @return the Kafka Streams application id
   */
  public String applicationId() {
    return getString(APPLICATION_ID_CONFIG);
  }

  /**
   * Returns the lease given to workers, in milliseconds.
   *
   * @return the lease
   */
  public long leaseMillis() {
    return getLong(LEASE_MS_CONFIG);
  }

  /**
   * Returns the punctuation interval, in milliseconds.
   *
   * @return the interval
   */
  public long punctuateIntervalMillis() {
    return getLong(PUNCTUATE_INTERVAL_MS_CONFIG);
  }

  /**
   * Returns how long a finished run is remembered, in milliseconds.
   *
   * @return the retention
   */
  public long finishedRunRetentionMillis() {
    return getLong(FINISHED_RUN_RETENTION_MS_CONFIG);
  }

  /**
   * Returns the commit interval, in milliseconds.
   *
   * @return the interval
   */
  public long commitIntervalMillis() {
    return getLong(COMMIT_INTERVAL_MS_CONFIG);
  }

  /**
   * Returns the state directory.
   *
   * @return the directory path
   */
  public Path stateDir() {
    return Path.of(getString(STATE_DIR_CONFIG));
  }

  /**
   * Returns the {@value #KAFKA_PREFIX}* settings with the prefix removed.
   *
   * @return pass-through settings for Kafka Streams
   */
  public Map<String, Object> kafkaOverrides() {
    return new HashMap<>(originalsWithPrefix(KAFKA_PREFIX, true));
  }
}
