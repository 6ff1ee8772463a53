package io.opflow.testkit.cluster;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opflow.client.OpflowClient;
import io.opflow.coordinator.Coordinator;
import io.opflow.coordinator.CoordinatorConfig;
import io.opflow.core.Definitions;
import io.opflow.hooks.HooksRunner;
import io.opflow.hooks.HooksRunnerConfig;
import io.opflow.schemas.OpflowTopics;
import io.opflow.schemas.TopicAdmin;
import io.opflow.testkit.EmbeddedKafkaBroker;
import io.opflow.worker.Worker;
import io.opflow.worker.WorkerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A whole Opflow cluster in one JVM: a Kafka broker (embedded, or an external one), the topics, a
 * coordinator, N workers and a hooks-runner around one {@link Definitions}, plus a client.
 *
 * <p>As a JUnit 5 extension it starts before the test class and stops after it:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final OpflowCluster cluster =
 *     OpflowCluster.builder().definitions(myDefs).workers(3).build();
 * }</pre>
 *
 * <p>Outside JUnit, call {@link #start()} and {@link #close()}. Each role serves Prometheus {@code
 * /metrics} and {@code /health} on a free port (see {@link #workerMetricsPort(int)}).
 */
public final class OpflowCluster implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
  private final Definitions definitions;
  private final int workerCount;
  private final Supplier<String> externalBootstrap;
  private String resolvedBootstrap;
  private final OpflowTopics topics;
  private final Map<String, Object> coordinatorOverrides;
  private final Map<String, Object> workerOverrides;
  private final String applicationId = "opflow-coordinator-" + UUID.randomUUID();
  private final List<Worker> workers = new ArrayList<>();
  private EmbeddedKafkaBroker broker;
  private Path stateDir;
  private Coordinator coordinator;
  private HooksRunner hooksRunner;
  private OpflowClient client;

  private OpflowCluster(Builder builder) {
    this.definitions = Objects.requireNonNull(builder.definitions, "definitions");
    this.workerCount = builder.workers;
    this.externalBootstrap = builder.bootstrapServers;
    this.topics = OpflowTopics.withPrefix(builder.topicPrefix);
    this.coordinatorOverrides = Map.copyOf(builder.coordinatorOverrides);
    this.workerOverrides = Map.copyOf(builder.workerOverrides);
  }

  /**
   * Returns a builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /**
   * Starts the broker (unless external), topics and every role, and returns when they are up.
   *
   * @return this cluster
   */
  public synchronized OpflowCluster start() {
    if (externalBootstrap == null) {
      broker = EmbeddedKafkaBroker.start();
    } else {
      resolvedBootstrap = Objects.requireNonNull(externalBootstrap.get(), "bootstrap servers");
    }
    try (TopicAdmin admin = TopicAdmin.create(kafkaProps())) {
      admin.ensureTopics(topics);
    }
    stateDir = tempDir();
    startCoordinator();
    for (int i = 0; i < workerCount; i++) {
      workers.add(Worker.start(workerConfig(i), definitions, registry()));
    }
    startHooksRunner();
    client = OpflowClient.create(kafkaProps(), topics);
    return this;
  }

  /**
   * Returns a client on this cluster, closed with the cluster.
   *
   * @return the client
   */
  public OpflowClient client() {
    return client;
  }

  /**
   * Returns the Kafka {@code bootstrap.servers} of the cluster.
   *
   * @return host and port pairs
   */
  public String bootstrapServers() {
    if (externalBootstrap == null) {
      return broker.bootstrapServers();
    }
    return resolvedBootstrap != null ? resolvedBootstrap : externalBootstrap.get();
  }

  /**
   * Returns the topic names.
   *
   * @return the topics
   */
  public OpflowTopics topics() {
    return topics;
  }

  /**
   * Returns the port of a worker's {@code /metrics} and {@code /health} endpoint.
   *
   * @param index the worker, from 0
   * @return the port
   */
  public int workerMetricsPort(int index) {
    return workers.get(index).observabilityPort();
  }

  /** Stops the hooks-runner; step events queue up until {@link #startHooksRunner()}. */
  public synchronized void stopHooksRunner() {
    if (hooksRunner != null) {
      hooksRunner.close();
      hooksRunner = null;
    }
  }

  /** Starts the hooks-runner (again), in the same consumer group, so it catches up. */
  public synchronized void startHooksRunner() {
    if (hooksRunner == null) {
      hooksRunner = HooksRunner.start(hooksConfig(), definitions, registry());
    }
  }

  /** Closes the coordinator and starts a new one on the same state. */
  public synchronized void restartCoordinator() {
    coordinator.close();
    startCoordinator();
  }

  private void startCoordinator() {
    Map<String, Object> props = new HashMap<>();
    props.put(CoordinatorConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(CoordinatorConfig.TOPIC_PREFIX_CONFIG, topics.prefix());
    props.put(CoordinatorConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(CoordinatorConfig.STATE_DIR_CONFIG, stateDir.toString());
    // Kafka Streams does not leave the group on close: a restarted coordinator waits for the old
    // member's session to expire, so keep sessions short (the broker's minimum is 6 s).
    props.put(CoordinatorConfig.KAFKA_PREFIX + "session.timeout.ms", 6000);
    props.put(CoordinatorConfig.KAFKA_PREFIX + "heartbeat.interval.ms", 1000);
    props.putAll(coordinatorOverrides);
    coordinator = Coordinator.start(new CoordinatorConfig(props), registry());
  }

  private WorkerConfig workerConfig(int index) {
    Map<String, Object> props = roleProps();
    props.put(WorkerConfig.WORKER_ID_CONFIG, "worker-" + index);
    props.put(WorkerConfig.HEARTBEAT_MS_CONFIG, 500L);
    props.put(WorkerConfig.SHUTDOWN_GRACE_MS_CONFIG, 2000L);
    props.putAll(workerOverrides);
    return WorkerConfig.of(props);
  }

  private HooksRunnerConfig hooksConfig() {
    return HooksRunnerConfig.of(roleProps());
  }

  private Map<String, Object> roleProps() {
    Map<String, Object> props = new HashMap<>();
    props.put(WorkerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(WorkerConfig.TOPIC_PREFIX_CONFIG, topics.prefix());
    props.put(WorkerConfig.METRICS_PORT_CONFIG, 0);
    return props;
  }

  private Map<String, Object> kafkaProps() {
    Map<String, Object> props = new HashMap<>();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return props;
  }

  private static PrometheusMeterRegistry registry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("opflow-cluster-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops every role, the client and the embedded broker, in that order. */
  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
    }
    stopHooksRunner();
    workers.forEach(Worker::close);
    workers.clear();
    if (coordinator != null) {
      coordinator.close();
      coordinator = null;
    }
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }

  /** Builds an {@link OpflowCluster}. */
  public static final class Builder {
    private Definitions definitions;
    private int workers = 1;
    private Supplier<String> bootstrapServers;
    private String topicPrefix = OpflowTopics.DEFAULT_PREFIX;
    private final Map<String, Object> coordinatorOverrides = new HashMap<>();
    private final Map<String, Object> workerOverrides = new HashMap<>();

    private Builder() {}

    /**
     * Sets the definitions the workers and hooks-runner load.
     *
     * @param definitions the code location
     * @return this builder
     */
    public Builder definitions(Definitions definitions) {
      this.definitions = definitions;
      return this;
    }

    /**
     * Sets how many workers run in this JVM; default 1. Zero suits tests that run workers in other
     * processes.
     *
     * @param count at least 0
     * @return this builder
     */
    public Builder workers(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("workers must be at least 0, got " + count);
      }
      this.workers = count;
      return this;
    }

    /**
     * Sets a coordinator setting ({@link CoordinatorConfig} key, such as {@code opflow.lease.ms});
     * it wins over the cluster's own.
     *
     * @param key the setting
     * @param value its value
     * @return this builder
     */
    public Builder coordinatorConfig(String key, Object value) {
      coordinatorOverrides.put(key, value);
      return this;
    }

    /**
     * Sets a setting of every in-process worker ({@link WorkerConfig} key, such as {@code
     * opflow.worker.concurrency}); it wins over the cluster's own.
     *
     * @param key the setting
     * @param value its value
     * @return this builder
     */
    public Builder workerConfig(String key, Object value) {
      workerOverrides.put(key, value);
      return this;
    }

    /**
     * Uses an external Kafka cluster instead of starting an embedded broker.
     *
     * @param bootstrapServers its {@code bootstrap.servers}
     * @return this builder
     */
    public Builder bootstrapServers(String bootstrapServers) {
      Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      return bootstrapServers(() -> bootstrapServers);
    }

    /**
     * Uses an external Kafka cluster whose address is known only once it runs, such as a
     * Testcontainers {@code KafkaContainer} started by {@code @Testcontainers} before this cluster:
     * {@code .bootstrapServers(kafka::getBootstrapServers)}. Asked once, on {@link
     * OpflowCluster#start()}.
     *
     * @param bootstrapServers supplies its {@code bootstrap.servers}
     * @return this builder
     */
    public Builder bootstrapServers(Supplier<String> bootstrapServers) {
      this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      return this;
    }

    /**
     * Sets the topic name prefix; default {@code opflow.}. Use a unique one on a shared broker.
     *
     * @param prefix the prefix
     * @return this builder
     */
    public Builder topicPrefix(String prefix) {
      this.topicPrefix = prefix;
      return this;
    }

    /**
     * Builds the cluster; it starts on {@link #start()} or before the test class.
     *
     * @return the cluster
     */
    public OpflowCluster build() {
      return new OpflowCluster(this);
    }
  }
}
