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
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";

  /** Prefix of every Opflow topic name. */
  public static final String TOPIC_PREFIX = "opflow.topic.prefix";

  /** Partition count of the topics the coordinator creates when they are missing. */
  public static final String TOPIC_PARTITIONS = "opflow.topic.partitions";

  /** Partition count of {@code step-tasks} when the coordinator creates it. */
  public static final String TOPIC_TASK_PARTITIONS = "opflow.topic.step-tasks.partitions";

  /** Replication factor of the topics the coordinator creates when they are missing. */
  public static final String TOPIC_REPLICATION_FACTOR = "opflow.topic.replication.factor";

  /** Kafka Streams application id; coordinators sharing it share the work. */
  public static final String APPLICATION_ID = "opflow.coordinator.application.id";

  /** How long a worker holds a step between heartbeats. */
  public static final String LEASE_MS = "opflow.lease.ms";

  /** How long a queued step may wait for a worker to start it. */
  public static final String START_TIMEOUT_MS = "opflow.start.timeout.ms";

  /** How often the coordinator looks for expired leases and due retries. */
  public static final String PUNCTUATE_INTERVAL_MS = "opflow.punctuate.interval.ms";

  /** How long the coordinator remembers a finished run, to ignore duplicates and late events. */
  public static final String FINISHED_RUN_RETENTION_MS = "opflow.finished.run.retention.ms";

  /** Kafka Streams commit interval. */
  public static final String COMMIT_INTERVAL_MS = "opflow.commit.interval.ms";

  /** The largest outputs of one step, and inputs of one task, that the coordinator passes on. */
  public static final String MAX_INLINE_BYTES = "opflow.coordinator.max.inline.bytes";

  /** The most steps after a task's own that its worker may run without a task each (0 = none). */
  public static final String CHAIN_MAX_STEPS = "opflow.coordinator.chain.max.steps";

  /** Directory of the local state stores. */
  public static final String STATE_DIR = "opflow.state.dir";

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
            BOOTSTRAP_SERVERS,
            Type.LIST,
            ConfigDef.NO_DEFAULT_VALUE,
            CoordinatorConfig::requireNonEmptyList,
            Importance.HIGH,
            "Kafka bootstrap servers, host:port separated by commas.")
        .define(
            TOPIC_PREFIX,
            Type.STRING,
            OpflowTopics.DEFAULT_PREFIX,
            Importance.MEDIUM,
            "Prefix of every Opflow topic name; all roles of one cluster use the same.")
        .define(
            TOPIC_PARTITIONS,
            Type.INT,
            OpflowTopics.DEFAULT_PARTITIONS,
            Range.atLeast(1),
            Importance.LOW,
            "Partitions of the Opflow topics the coordinator creates when they are missing; when"
                + " set, also of step-tasks unless "
                + TOPIC_TASK_PARTITIONS
                + " is set.")
        .define(
            TOPIC_TASK_PARTITIONS,
            Type.INT,
            OpflowTopics.DEFAULT_TASK_PARTITIONS,
            Range.atLeast(1),
            Importance.LOW,
            "Partitions of step-tasks when the coordinator creates it. Workers share them: a"
                + " count that the number of workers divides gives each the same share of tasks.")
        .define(
            TOPIC_REPLICATION_FACTOR,
            Type.SHORT,
            OpflowTopics.DEFAULT_REPLICATION_FACTOR,
            Range.atLeast(1),
            Importance.MEDIUM,
            "Replication factor of the topics the coordinator creates; use 3 in production.")
        .define(
            APPLICATION_ID,
            Type.STRING,
            "opflow-coordinator",
            new ConfigDef.NonEmptyString(),
            Importance.HIGH,
            "Kafka Streams application id: coordinators with the same id share the runs.")
        .define(
            LEASE_MS,
            Type.LONG,
            5000L,
            Range.atLeast(1),
            Importance.MEDIUM,
            "Lease given to workers in each step task: how long a worker holds a step between"
                + " heartbeats before the coordinator declares it lost.")
        .define(
            START_TIMEOUT_MS,
            Type.LONG,
            Duration.ofMinutes(10).toMillis(),
            Range.atLeast(1),
            Importance.MEDIUM,
            "How long a queued step may wait for a worker to start it. Past it the attempt ends"
                + " with a StepNotStarted error, retried if the step's retry policy allows, so a"
                + " task no worker can take never waits forever. Allow for the longest queue your"
                + " workers may have.")
        .define(
            PUNCTUATE_INTERVAL_MS,
            Type.LONG,
            250L,
            Range.atLeast(1),
            Importance.LOW,
            "How often, by wall clock, the coordinator looks for expired leases and due retries.")
        .define(
            FINISHED_RUN_RETENTION_MS,
            Type.LONG,
            Duration.ofDays(7).toMillis(),
            Range.atLeast(0),
            Importance.LOW,
            "How long the coordinator keeps the small record of a finished run, so a duplicate"
                + " request or a late event for it does nothing. Default 7 days, the retention of"
                + " the runs and step-events topics; a request older than this is a new run.")
        .define(
            COMMIT_INTERVAL_MS,
            Type.LONG,
            100L,
            Range.atLeast(0),
            Importance.LOW,
            "Kafka Streams commit interval. With exactly-once each hop waits up to one interval"
                + " before its output is visible, so keep it small.")
        .define(
            MAX_INLINE_BYTES,
            Type.LONG,
            900L * 1024,
            Range.between(1024L, 64L * 1024 * 1024),
            Importance.LOW,
            "The largest total JSON size of one step's outputs that the coordinator keeps for"
                + " downstream steps, and of one step task's inputs with the run config. Keep it"
                + " below the producers' max.request.size (1 MiB by default): a step reading"
                + " larger outputs fails with a message instead of the coordinator writing a record"
                + " Kafka refuses.")
        .define(
            CHAIN_MAX_STEPS,
            Type.INT,
            64,
            Range.between(0, 1024),
            Importance.LOW,
            "Worker-side chaining: a task also lists up to this many steps after its own that"
                + " each read only the step before them (a linear segment), and the worker that"
                + " runs the task starts each of them itself when the one before succeeds, without"
                + " a round trip through the coordinator. 0 turns chaining off: every step gets its"
                + " own task.")
        .define(
            STATE_DIR,
            Type.STRING,
            defaultStateDir(),
            new ConfigDef.NonEmptyString(),
            Importance.MEDIUM,
            "Directory of the local state stores; keep it across restarts to avoid restoring"
                + " from the changelog. Defaults to a new temporary directory.");
  }

  private static void requireNonEmptyList(String name, Object value) {
    if (!(value instanceof List<?> list) || list.isEmpty()) {
      throw new ConfigException(name, value, "at least one host:port is required");
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
            .prefix(getString(TOPIC_PREFIX))
            .replicationFactor(getShort(TOPIC_REPLICATION_FACTOR));
    if (originals().containsKey(TOPIC_PARTITIONS)) {
      topics.partitions(getInt(TOPIC_PARTITIONS));
    }
    if (originals().containsKey(TOPIC_TASK_PARTITIONS)) {
      topics.partitions(OpflowTopic.STEP_TASKS, getInt(TOPIC_TASK_PARTITIONS));
    }
    return topics.build();
  }

  /**
   * Returns how long a queued step may wait for a worker to start it.
   *
   * @return the start timeout in milliseconds
   */
  public long startTimeoutMillis() {
    return getLong(START_TIMEOUT_MS);
  }

  /**
   * Returns the largest outputs of one step, and inputs of one task, the coordinator passes on.
   *
   * @return the limit in bytes
   */
  public long maxInlineBytes() {
    return getLong(MAX_INLINE_BYTES);
  }

  /**
   * Returns how many steps after its own one task may chain.
   *
   * @return the most chained steps per task; 0 when chaining is off
   */
  public int chainMaxSteps() {
    return getInt(CHAIN_MAX_STEPS);
  }

  /**
   * Returns the bootstrap servers as one comma-separated string.
   *
   * @return the bootstrap servers
   */
  public String bootstrapServers() {
    return String.join(",", getList(BOOTSTRAP_SERVERS));
  }

  /**
   * Returns the application id.
   *
   * @return the Kafka Streams application id
   */
  public String applicationId() {
    return getString(APPLICATION_ID);
  }

  /**
   * Returns the lease given to workers, in milliseconds.
   *
   * @return the lease
   */
  public long leaseMillis() {
    return getLong(LEASE_MS);
  }

  /**
   * Returns the punctuation interval, in milliseconds.
   *
   * @return the interval
   */
  public long punctuateIntervalMillis() {
    return getLong(PUNCTUATE_INTERVAL_MS);
  }

  /**
   * Returns how long a finished run is remembered, in milliseconds.
   *
   * @return the retention
   */
  public long finishedRunRetentionMillis() {
    return getLong(FINISHED_RUN_RETENTION_MS);
  }

  /**
   * Returns the commit interval, in milliseconds.
   *
   * @return the interval
   */
  public long commitIntervalMillis() {
    return getLong(COMMIT_INTERVAL_MS);
  }

  /**
   * Returns the state directory.
   *
   * @return the directory path
   */
  public Path stateDir() {
    return Path.of(getString(STATE_DIR));
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
