package io.opflow.containers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;

/**
 * A whole Opflow cluster in containers on one Docker {@link Network}: a Kafka broker from {@link
 * OpflowImages#KAFKA}, and a coordinator, workers and a hooks-runner from {@link
 * OpflowImages#OPFLOW} running Opflow's example definitions inside that image ({@code --example}).
 *
 * <p>The roles reach Kafka at {@value #INTERNAL_BOOTSTRAP} (a network alias and a second listener);
 * the test, on the host, uses {@link #bootstrapServers()}. Each role is started once its {@code
 * /health} answers. Workers can be added and the hooks-runner stopped and started again while runs
 * are in flight.
 *
 * <pre>{@code
 * try (OpflowClusterContainers cluster = OpflowClusterContainers.withWorkers(1).start();
 *     OpflowClient client = OpflowClient.create(cluster.bootstrapServers())) {
 *   ...
 * }
 * }</pre>
 */
public final class OpflowClusterContainers implements AutoCloseable {

  /** Network alias of the Kafka container. */
  public static final String KAFKA_ALIAS = "kafka";

  /** Bootstrap servers of Kafka as the role containers see it. */
  public static final String INTERNAL_BOOTSTRAP = KAFKA_ALIAS + ":19092";

  /** Port of {@code /metrics} and {@code /health} inside each role container. */
  public static final int METRICS_PORT = 9400;

  /** Logger of the role containers' output, standard output and error alike, at INFO. */
  public static final String ROLE_LOGGER = "io.opflow.containers.roles";

  private static final Logger ROLE_LOG = LoggerFactory.getLogger(ROLE_LOGGER);
  private static final Duration ROLE_STARTUP = Duration.ofMinutes(2);

  private final Network network = Network.newNetwork();
  private final KafkaContainer kafka =
      KafkaContainers.local().withNetwork(network).withListener(INTERNAL_BOOTSTRAP);
  private final int initialWorkers;
  private final List<GenericContainer<?>> workers = new ArrayList<>();
  private final IdentityHashMap<GenericContainer<?>, String> names = new IdentityHashMap<>();
  private GenericContainer<?> coordinator;
  private GenericContainer<?> hooksRunner;
  private int workersCreated;
  private int hooksRunnersCreated;

  private OpflowClusterContainers(int initialWorkers) {
    if (initialWorkers < 1) {
      throw new IllegalArgumentException("at least one worker, got " + initialWorkers);
    }
    this.initialWorkers = initialWorkers;
  }

  /**
   * Returns a cluster, not yet started, that starts with the given number of workers.
   *
   * @param count workers at start, at least 1
   * @return the cluster
   */
  public static OpflowClusterContainers withWorkers(int count) {
    return new OpflowClusterContainers(count);
  }

  /**
   * Starts Kafka, then the coordinator, the workers and the hooks-runner in parallel, and returns
   * once every role's {@code /health} answers.
   *
   * @return this cluster
   */
  public synchronized OpflowClusterContainers start() {
    kafka.start();
    coordinator = role("coordinator", "coordinator");
    for (int i = 0; i < initialWorkers; i++) {
      workers.add(newWorker());
    }
    hooksRunner = newHooksRunner();
    List<GenericContainer<?>> starting = new ArrayList<>(workers);
    starting.add(coordinator);
    starting.add(hooksRunner);
    startAll(starting);
    return this;
  }

  /**
   * Returns Kafka's bootstrap servers as seen from the host.
   *
   * @return host and port
   */
  public String bootstrapServers() {
    return kafka.getBootstrapServers();
  }

  /**
   * Returns the Kafka container.
   *
   * @return the broker
   */
  public KafkaContainer kafka() {
    return kafka;
  }

  /**
   * Returns the ids of the workers started and not stopped, such as {@code worker-1}, in start
   * order.
   *
   * @return the ids
   */
  public synchronized List<String> workerIds() {
    return workers.stream().map(names::get).toList();
  }

  /**
   * Starts more workers in the same consumer group and returns once they are healthy.
   *
   * @param count how many
   * @return the ids of the new workers
   */
  public List<String> addWorkers(int count) {
    List<GenericContainer<?>> added = new ArrayList<>();
    synchronized (this) {
      for (int i = 0; i < count; i++) {
        added.add(newWorker());
      }
      workers.addAll(added); // before starting, so that close() stops them whatever happens
    }
    startAll(added);
    return added.stream().map(names::get).toList();
  }

  /**
   * Stops the workers started last, with SIGTERM, until {@code remaining} are left.
   *
   * @param remaining how many workers keep running
   */
  public synchronized void stopWorkersDownTo(int remaining) {
    while (workers.size() > remaining) {
      stopGracefully(workers.remove(workers.size() - 1));
    }
  }

  /** Stops the hooks-runner with SIGTERM, so it commits what it did and leaves its group. */
  public synchronized void stopHooksRunner() {
    if (hooksRunner != null) {
      stopGracefully(hooksRunner);
      hooksRunner = null;
    }
  }

  /** Starts a new hooks-runner container in the same consumer group, if none is running. */
  public synchronized void startHooksRunner() {
    if (hooksRunner == null) {
      hooksRunner = newHooksRunner();
      startAll(List.of(hooksRunner));
    }
  }

  private GenericContainer<?> newWorker() {
    String id = "worker-" + ++workersCreated;
    return role(id, "worker", "--example", "--config=opflow.worker.id=" + id);
  }

  private GenericContainer<?> newHooksRunner() {
    return role("hooks-runner-" + ++hooksRunnersCreated, "hooks-runner", "--example");
  }

  /** A role container: {@code name} is its network alias and log prefix. */
  @SuppressWarnings("resource") // closed in stopGracefully or close
  private GenericContainer<?> role(String name, String role, String... extraArgs) {
    List<String> command = new ArrayList<>();
    command.add(role);
    command.add("--bootstrap-servers=" + INTERNAL_BOOTSTRAP);
    command.add("--metrics-port=" + METRICS_PORT);
    command.addAll(List.of(extraArgs));
    GenericContainer<?> container =
        new GenericContainer<>(OpflowImages.opflow())
            .withNetwork(network)
            .withNetworkAliases(name)
            .withCommand(command.toArray(String[]::new))
            // Short-lived JVMs on 2 shared cores: C1 only starts faster.
            .withEnv("JAVA_TOOL_OPTIONS", "-Xmx256m -XX:TieredStopAtLevel=1")
            .withExposedPorts(METRICS_PORT)
            .withLogConsumer(
                frame -> ROLE_LOG.info("[{}] {}", name, frame.getUtf8StringWithoutLineEnding()))
            .waitingFor(
                Wait.forHttp("/health").forPort(METRICS_PORT).withStartupTimeout(ROLE_STARTUP));
    names.put(container, name);
    return container;
  }

  private static void startAll(List<GenericContainer<?>> containers) {
    Startables.deepStart(containers).join();
  }

  /** SIGTERM and a grace period, then removal; Testcontainers' own stop() kills at once. */
  private static void stopGracefully(GenericContainer<?> container) {
    if (container.isRunning()) {
      container
          .getDockerClient()
          .stopContainerCmd(container.getContainerId())
          .withTimeout(20)
          .exec();
    }
    container.stop();
  }

  /** Stops every role, then Kafka, then removes the network. */
  @Override
  public synchronized void close() {
    stopHooksRunner();
    workers.forEach(GenericContainer::stop);
    workers.clear();
    if (coordinator != null) {
      coordinator.stop();
    }
    kafka.stop();
    network.close();
  }
}
