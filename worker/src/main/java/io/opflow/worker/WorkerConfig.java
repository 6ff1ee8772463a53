package io.opflow.worker;

import io.opflow.runtime.JsonValues;
import io.opflow.runtime.RuntimeConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settings of a worker: the shared {@link RuntimeConfig} keys plus the worker's own. Every key has
 * a default except {@code bootstrap.servers}.
 *
 * <pre>{@code
 * WorkerConfig config = WorkerConfig.of(Map.of(
 *     "bootstrap.servers", "localhost:9092",
 *     "opflow.worker.concurrency", 8));
 * }</pre>
 */
public final class WorkerConfig extends RuntimeConfig {

  /** Id of this worker in step events; default host name, process id and a random suffix. */
  public static final String WORKER_ID_CONFIG = "opflow.worker.id";

  private static final String WORKER_ID_DOC =
      "Id of this worker in step events; empty picks host name, process id and a random"
          + " suffix.";

  /** How many ops run at once. */
  public static final String CONCURRENCY_CONFIG = "opflow.worker.concurrency";

  private static final String CONCURRENCY_DOC =
      "How many ops run at once; when all slots are busy the worker pauses its partitions"
          + " and keeps polling. Also the default of the consumer's max.poll.records, so a"
          + " worker holds at most this many tasks it has not started.";

  /** Interval between heartbeats of a running step. */
  public static final String HEARTBEAT_MS_CONFIG = "opflow.worker.heartbeat.ms";

  private static final String HEARTBEAT_MS_DOC =
      "Interval between heartbeats of a running step, in milliseconds; must be shorter"
          + " than the lease of the tasks.";

  /** How long an op runs before its StepStarted is sent; 0 sends it at once. */
  public static final String STARTED_DELAY_MS_CONFIG = "opflow.worker.started.delay.ms";

  private static final String STARTED_DELAY_MS_DOC =
      "How long an op runs before its StepStarted is sent, in milliseconds; 0 sends it"
          + " at once. With a delay, a step that succeeds or fails sooner publishes only its"
          + " terminal event (its timestamp minus durationMillis is the start), halving the"
          + " events of short steps, and its task's offset is committed once that event is"
          + " acknowledged. Watchers that expect a StepStarted for every attempt (the"
          + " benchmark's hop measure, STARTED lines of 'opflow runs') see none for such"
          + " steps, and a worker that dies within the delay is recovered by redelivery of"
          + " the task, not by its lease.";

  /** Consumer group of the workers on {@code step-tasks}. */
  public static final String GROUP_ID_CONFIG = "opflow.worker.group.id";

  private static final String GROUP_ID_DOC =
      "Consumer group of the workers on the step-tasks topic.";

  /** How long {@code close()} waits for running ops. */
  public static final String SHUTDOWN_GRACE_MS_CONFIG = "opflow.worker.shutdown.grace.ms";

  private static final String SHUTDOWN_GRACE_MS_DOC =
      "How long close() waits for running ops to finish and publish their result, in"
          + " milliseconds; ops still running then are interrupted and their steps are"
          + " recovered by lease expiry.";

  /** Largest JSON size of one op output carried inline in a step event. */
  public static final String INLINE_MAX_BYTES_CONFIG = "opflow.outputs.inline.max.bytes";

  private static final String INLINE_MAX_BYTES_DOC =
      "Largest JSON size of one op output carried in a step event, in bytes; a larger"
          + " output fails the step with a message saying what to do.";

  /** Whether the worker starts the next step of a task's chain itself. */
  public static final String CHAINING_CONFIG = "opflow.worker.chaining";

  private static final String CHAINING_DOC =
      "Worker-side chaining: when a step succeeds and its task lists the steps after it"
          + " (a linear segment, see opflow.coordinator.chain.max.steps), start the next one"
          + " here, in the same slot, instead of waiting for the coordinator to issue its"
          + " task. The success event announces the start; the step is still fenced by its"
          + " attempt and recovered by its lease.";

  /** Default consumer group. */
  public static final String DEFAULT_GROUP_ID = "opflow-workers";

  private static final ConfigDef DEFINITION =
      baseConfigDef()
          .define(WORKER_ID_CONFIG, Type.STRING, "", Importance.MEDIUM, WORKER_ID_DOC)
          .define(
              CONCURRENCY_CONFIG,
              Type.INT,
              4,
              Range.between(1, 1024),
              Importance.HIGH,
              CONCURRENCY_DOC)
          .define(
              HEARTBEAT_MS_CONFIG,
              Type.LONG,
              1000L,
              Range.atLeast(10),
              Importance.MEDIUM,
              HEARTBEAT_MS_DOC)
          .define(
              STARTED_DELAY_MS_CONFIG,
              Type.LONG,
              0L,
              Range.atLeast(0),
              Importance.LOW,
              STARTED_DELAY_MS_DOC)
          .define(CHAINING_CONFIG, Type.BOOLEAN, true, Importance.LOW, CHAINING_DOC)
          .define(
              GROUP_ID_CONFIG,
              Type.STRING,
              DEFAULT_GROUP_ID,
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              GROUP_ID_DOC)
          .define(
              SHUTDOWN_GRACE_MS_CONFIG,
              Type.LONG,
              30_000L,
              Range.atLeast(0),
              Importance.MEDIUM,
              SHUTDOWN_GRACE_MS_DOC)
          .define(
              INLINE_MAX_BYTES_CONFIG,
              Type.INT,
              JsonValues.DEFAULT_INLINE_MAX_BYTES,
              Range.atLeast(1),
              Importance.MEDIUM,
              INLINE_MAX_BYTES_DOC);

  // Client settings the consumer group protocol (KIP-848) refuses: the broker owns them there.
  private static final Set<String> CLASSIC_ONLY_KEYS =
      Set.of(
          ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
          ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
          ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);

  private static final Logger LOG = LoggerFactory.getLogger(WorkerConfig.class);

  private final String workerId;

  private WorkerConfig(Map<?, ?> props) {
    super(DEFINITION, props);
    String configured = getString(WORKER_ID_CONFIG);
    this.workerId = configured.isBlank() ? defaultWorkerId() : configured;
  }

  /**
   * Creates a worker config.
   *
   * @param props the settings
   * @return the config
   * @throws ConfigException naming a missing or invalid key
   */
  public static WorkerConfig of(Map<?, ?> props) {
    return new WorkerConfig(props);
  }

  /**
   * Returns the definition of every key, for generated docs.
   *
   * @return the keys
   */
  public static ConfigDef configDef() {
    return DEFINITION;
  }

  /**
   * Returns this worker's id.
   *
   * @return the id
   */
  public String workerId() {
    return workerId;
  }

  /**
   * Returns how many ops run at once.
   *
   * @return the pool size
   */
  public int concurrency() {
    return getInt(CONCURRENCY_CONFIG);
  }

  /**
   * Returns the heartbeat interval.
   *
   * @return the interval
   */
  public Duration heartbeatInterval() {
    return Duration.ofMillis(getLong(HEARTBEAT_MS_CONFIG));
  }

  /**
   * Returns how long an op runs before its StepStarted is sent.
   *
   * @return the delay; zero sends StepStarted at once
   */
  public Duration startedDelay() {
    return Duration.ofMillis(getLong(STARTED_DELAY_MS_CONFIG));
  }

  /**
   * Returns whether the next step of a task's chain starts on this worker.
   *
   * @return true when chaining is on
   */
  public boolean chaining() {
    return getBoolean(CHAINING_CONFIG);
  }

  /**
   * Returns the consumer group.
   *
   * @return the group id
   */
  public String groupId() {
    return getString(GROUP_ID_CONFIG);
  }

  /**
   * Returns how long close() waits for running ops.
   *
   * @return the grace period
   */
  public Duration shutdownGrace() {
    return Duration.ofMillis(getLong(SHUTDOWN_GRACE_MS_CONFIG));
  }

  /**
   * Returns the inline cap of one output, in bytes.
   *
   * @return the cap
   */
  public int inlineMaxBytes() {
    return getInt(INLINE_MAX_BYTES_CONFIG);
  }

  /**
   * Returns the settings of the consumer on {@code step-tasks}: those of {@link #consumerProps}
   * (manual commits, {@code read_committed}) in the worker group, plus two worker defaults that a
   * {@code kafka.*} setting overrides.
   *
   * <ul>
   *   <li>{@code max.poll.records} = {@link #concurrency()}: a worker holds at most that many tasks
   *       it has not started, instead of hundreds while other workers idle; it also pauses its
   *       partitions while any task waits.
   *   <li>{@code group.protocol=consumer}: Kafka 4's consumer group protocol (KIP-848), whose
   *       incremental rebalances move only the partitions that change owner, so a worker joining or
   *       leaving does not stop the others. The worker keeps {@code classic} when a {@code kafka.*}
   *       setting names a key the new protocol refuses ({@code session.timeout.ms}, {@code
   *       heartbeat.interval.ms}, {@code partition.assignment.strategy}); with the new protocol the
   *       broker's {@code group.consumer.*} settings govern those.
   * </ul>
   *
   * @param clientId the client id
   * @return consumer settings
   */
  public Map<String, Object> taskConsumerProps(String clientId) {
    Map<String, Object> props = consumerProps(clientId, groupId());
    Map<String, Object> overrides = kafkaOverrides();
    if (!overrides.containsKey(ConsumerConfig.MAX_POLL_RECORDS_CONFIG)) {
      props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, concurrency());
    }
    if (!overrides.containsKey(ConsumerConfig.GROUP_PROTOCOL_CONFIG)) {
      props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, defaultGroupProtocol(overrides));
    }
    return props;
  }

  private static String defaultGroupProtocol(Map<String, Object> overrides) {
    List<String> classicOnly =
        CLASSIC_ONLY_KEYS.stream().filter(overrides::containsKey).sorted().toList();
    if (classicOnly.isEmpty()) {
      return GroupProtocol.CONSUMER.name().toLowerCase(Locale.ROOT);
    }
    LOG.info(
        "Worker consumer keeps group.protocol=classic because kafka.{} is set; the consumer"
            + " protocol refuses those keys (set kafka.group.protocol to choose)",
        classicOnly);
    return GroupProtocol.CLASSIC.name().toLowerCase(Locale.ROOT);
  }

  private static String defaultWorkerId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    long pid = ProcessHandle.current().pid();
    return host + "-" + pid + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
