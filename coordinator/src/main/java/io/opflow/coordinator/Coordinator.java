package io.opflow.coordinator;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.opflow.coordinator.internal.CoordinatorTopology;
import io.opflow.coordinator.internal.DeadLetterHandler;
import io.opflow.coordinator.internal.ThreadFailures;
import io.opflow.coordinator.internal.TimeSettings;
import io.opflow.coordinator.internal.TopicCheck;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator role: plans runs from the {@code runs} topic and advances them as step events
 * arrive, on Kafka Streams with exactly-once processing and changelog-backed state, so a restarted
 * coordinator loses no run and coordinators sharing an application id share the runs.
 *
 * <pre>{@code
 * try (Coordinator coordinator = Coordinator.start(config, registry)) {
 *   // serve until shutdown; coordinator.isRunning() for a health endpoint
 * }
 * }</pre>
 */
public final class Coordinator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private static final int MAX_THREAD_REPLACEMENTS = 3;
  private static final Duration THREAD_REPLACEMENT_WINDOW = Duration.ofMinutes(5);
  // The producers' batching: as long as the default commit interval, which flushes them anyway,
  // and batches four times Kafka's default, so a busy partition's records of one interval go in
  // one or two requests.
  private static final int PRODUCER_LINGER_MS = 100;
  private static final int PRODUCER_BATCH_BYTES = 64 * 1024;

  private final KafkaStreams streams;
  private final KafkaStreamsMetrics streamsMetrics;
  private final ThreadFailures threadFailures;

  private Coordinator(
      KafkaStreams streams, KafkaStreamsMetrics streamsMetrics, ThreadFailures threadFailures) {
    this.streams = streams;
    this.streamsMetrics = streamsMetrics;
    this.threadFailures = threadFailures;
  }

  /**
   * Creates missing topics, checks that {@code runs} and {@code step-events} have the same number
   * of partitions, and starts the coordinator.
   *
   * @param config the settings
   * @param registry where the coordinator's meters and the Kafka Streams client metrics go
   * @return the started coordinator; close it to stop
   * @throws IllegalStateException if {@code runs} and {@code step-events} are not co-partitioned
   * @throws org.apache.kafka.common.KafkaException if the cluster cannot be reached
   */
  public static Coordinator start(CoordinatorConfig config, MeterRegistry registry) {
    int taskPartitions = TopicCheck.ensureTopics(config.topics(), adminConfig(config));
    Topology topology = buildTopology(config, taskPartitions, registry);
    KafkaStreams streams = new KafkaStreams(topology, streamsConfig(config));
    ThreadFailures threadFailures =
        new ThreadFailures(MAX_THREAD_REPLACEMENTS, THREAD_REPLACEMENT_WINDOW, Clock.systemUTC());
    streams.setUncaughtExceptionHandler(threadFailures);
    KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
    metrics.bindTo(registry);
    streams.start();
    LOG.info("Coordinator {} started", config.applicationId());
    return new Coordinator(streams, metrics, threadFailures);
  }

  /**
   * Builds the coordinator's topology without starting it, for tests with {@code
   * TopologyTestDriver}.
   *
   * @param config the settings
   * @param registry where the coordinator's meters go
   * @return the topology
   */
  public static Topology buildTopology(CoordinatorConfig config, MeterRegistry registry) {
    return buildTopology(
        config,
        config.topics().spec(io.opflow.schemas.OpflowTopic.STEP_TASKS).partitions(),
        registry);
  }

  private static Topology buildTopology(
      CoordinatorConfig config, int taskPartitions, MeterRegistry registry) {
    TimeSettings timing =
        new TimeSettings(
            config.leaseMillis(),
            config.punctuateIntervalMillis(),
            config.finishedRunRetentionMillis(),
            config.startTimeoutMillis());
    return CoordinatorTopology.build(
        config.topics(),
        timing,
        new CoordinatorTopology.Bounds(config.maxInlineBytes(), config.chainMaxSteps()),
        taskPartitions,
        registry);
  }

  /**
   * Returns the Kafka Streams properties the coordinator runs with.
   *
   * @param config the settings
   * @return the properties, {@code kafka.}* pass-through applied last
   */
  public static Properties streamsConfig(CoordinatorConfig config) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitIntervalMillis());
    // Under exactly-once a record the coordinator writes is readable only once its transaction
    // commits, and committing flushes the producer first: lingering delays no reader. It lets one
    // produce request carry what a partition gets in a commit interval, instead of one request
    // per record, which cut the broker's CPU per step by about two thirds (docs/benchmark.md).
    props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), PRODUCER_LINGER_MS);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
    // A task reads runs and step-events; their relative order does not matter (a run's first step
    // event can only follow its request), so never hold one back waiting for data on the other.
    props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    // An undecodable record goes to the dead-letter topic; the partition moves on.
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
    props.put(DeadLetterHandler.TOPIC_CONFIG, config.topics().deadLetter());
    // A record whose processing throws (a bug, never a normal outcome) is logged and skipped
    // rather than failing the thread on it forever; the run it concerns may then need a cancel.
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndContinueProcessingExceptionHandler.class);
    // Failover: a coordinator killed without leaving the group keeps its tasks until its session
    // times out, 45 s by default; 6 s (the broker's minimum by default) hands them to another
    // coordinator of the same application id within seconds, and a standby copy of every task's
    // state on that coordinator means it takes over without restoring from the changelog.
    props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
    props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1500);
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
    props.putAll(config.kafkaOverrides());
    return props;
  }

  private static java.util.Map<String, Object> adminConfig(CoordinatorConfig config) {
    java.util.Map<String, Object> admin = config.kafkaOverrides();
    admin.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    return admin;
  }

  /**
   * Returns whether the coordinator is running or rebalancing, for a health endpoint.
   *
   * @return true while it serves
   */
  public boolean isRunning() {
    return streams.state().isRunningOrRebalancing();
  }

  /**
   * Returns the error that stopped the coordinator for good, if any. A failed stream thread is
   * replaced, up to 3 times within 5 minutes; a fourth failure stops the Kafka Streams client, and
   * a supervisor (the CLI) should then exit non-zero so the process is restarted. A client that
   * stopped in the {@code ERROR} state for another reason is reported too.
   *
   * @return the error, or empty while the coordinator runs or after a clean close
   */
  public Optional<Throwable> failure() {
    Throwable fatal = threadFailures.fatal();
    if (fatal != null) {
      return Optional.of(fatal);
    }
    if (streams.state() == KafkaStreams.State.ERROR) {
      return Optional.of(new IllegalStateException("Kafka Streams entered the ERROR state"));
    }
    return Optional.empty();
  }

  /**
   * Returns the state of the embedded Kafka Streams client.
   *
   * @return the client state
   */
  public KafkaStreams.State state() {
    return streams.state();
  }

  /** Stops gracefully: finishes the records in hand, commits, and closes the stores. */
  @Override
  public void close() {
    // Leaving the group hands this coordinator's partitions to the others at once, instead of
    // after the session timeout.
    streams.close(
        CloseOptions.timeout(CLOSE_TIMEOUT)
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    streamsMetrics.close();
    LOG.info("Coordinator stopped");
  }
}
