package io.opflow.hooks.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.opflow.core.Definitions;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpNode;
import io.opflow.core.RunStatusSensor;
import io.opflow.core.spi.HookExecution;
import io.opflow.hooks.HooksRunnerConfig;
import io.opflow.runtime.DeadLetters;
import io.opflow.runtime.spi.EventPublisher;
import io.opflow.runtime.spi.RoleEngine;
import io.opflow.runtime.spi.Threads;
import io.opflow.schemas.OpflowTopics;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires a hooks-runner's clients, hook threads, ledger loader and poll thread on the shared {@link
 * RoleEngine}, which takes them down in order: the poll thread (its lanes drain), then the hook
 * threads and the retry timer, then the producer.
 */
public final class HooksEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HooksEngine.class);
  private static final Duration LEDGER_RETRY_BACKOFF = Duration.ofSeconds(1);
  private static final Duration JOIN_TIMEOUT = Duration.ofMinutes(2);
  // Kafka 4's own default. What this producer writes (hook events, dead letters, sensors' run
  // requests) is on no step's path, so a few milliseconds let the lanes' records share requests:
  // a fifth less of the runner's CPU per hook in the benchmark (docs/benchmark.md).
  private static final int PRODUCER_LINGER_MS = 5;

  private final RoleEngine engine;

  /** Starts the poll thread. */
  public HooksEngine(
      HooksRunnerConfig config,
      Definitions definitions,
      MeterRegistry registry,
      Function<String, String> environment) {
    HookSelector selector = selector(config);
    List<RunStatusSensor> sensors =
        definitions.sensors().stream().filter(selector::serves).toList();
    logServed(selector, definitions, sensors);
    String clientId = "opflow-hooks-runner-" + UUID.randomUUID().toString().substring(0, 8);
    OpflowTopics topics = config.topics();
    Producer<byte[], byte[]> producer =
        new KafkaProducer<>(config.producerProps(clientId + "-producer", PRODUCER_LINGER_MS));
    this.engine = new RoleEngine("hooks-runner", producer, registry);
    Map<String, Object> eventProps = eventConsumerProps(config, clientId);
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(eventProps);
    KafkaConsumer<byte[], byte[]> ledgerConsumer =
        new KafkaConsumer<>(readCommitted(config.consumerProps(clientId + "-ledger", null)));
    engine.bindMetrics(consumer);
    ExecutorService hookThreads =
        Executors.newFixedThreadPool(config.hookThreads(), Threads.daemon("opflow-hook"));
    HooksMetrics metrics = new HooksMetrics(registry);
    DeadLetters deadLetters = new DeadLetters(producer, topics.deadLetter(), config.groupId());
    ScheduledExecutorService retryTimer =
        Executors.newSingleThreadScheduledExecutor(Threads.daemon("opflow-hook-retry-timer"));
    LaterTries laterTries = new LaterTries(retryTimer);
    StepHooks hooks =
        new StepHooks(
            new HookExecution(hookThreads),
            new EventPublisher(producer),
            topics.hookEvents(),
            metrics,
            deadLetters,
            laterTries);
    StepPartitionLane.Shared stepLanes =
        new StepPartitionLane.Shared(
            definitions, selector, hooks, new RemoteOutcomes(environment), deadLetters, laterTries);
    LedgerLoader ledgers =
        new LedgerLoader(
            new LedgerReader(ledgerConsumer, topics.hookEvents()),
            topics.stepEvents(),
            producer::flush,
            LEDGER_RETRY_BACKOFF);
    HooksPollLoop loop =
        new HooksPollLoop(
            consumer,
            ledgers,
            stepLanes,
            sensors.isEmpty() ? null : new Sensors(sensors),
            environment,
            metrics,
            topics,
            new HooksPollLoop.Settings(config.laneCapacity(), drainTimeout(config, eventProps)));
    engine.onClose(hookThreads::shutdownNow);
    engine.onClose(retryTimer::shutdownNow);
    engine.start(loop, "opflow-hooks-poll", JOIN_TIMEOUT);
  }

  private static HookSelector selector(HooksRunnerConfig config) {
    try {
      return HookSelector.of(config.include(), config.exclude());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          HooksRunnerConfig.INCLUDE_CONFIG
              + " / "
              + HooksRunnerConfig.EXCLUDE_CONFIG
              + ": "
              + e.getMessage());
    }
  }

  // Says which hooks this runner fires, and warns when its selectors match none of those loaded.
  private static void logServed(
      HookSelector selector, Definitions definitions, List<RunStatusSensor> sensors) {
    if (selector.servesAll()) {
      return;
    }
    Set<String> hooks = new TreeSet<>();
    for (JobDefinition job : definitions.jobs().values()) {
      for (OpNode node : job.nodes()) {
        job.hooksFor(node.name()).stream()
            .filter(selector::serves)
            .forEach(hook -> hooks.add(hook.name()));
      }
    }
    List<String> sensorNames = sensors.stream().map(RunStatusSensor::name).toList();
    if (hooks.isEmpty() && sensors.isEmpty()) {
      LOG.warn(
          "This hooks-runner serves {}, which selects no hook or sensor of the definitions"
              + " loaded: it will fire nothing. Check {} and {}.",
          selector,
          HooksRunnerConfig.INCLUDE_CONFIG,
          HooksRunnerConfig.EXCLUDE_CONFIG);
    } else {
      LOG.info("This hooks-runner serves {}: hooks {}, sensors {}", selector, hooks, sensorNames);
    }
  }

  private static Map<String, Object> eventConsumerProps(HooksRunnerConfig config, String id) {
    Map<String, Object> props =
        readCommitted(config.consumerProps(id + "-events", config.groupId()));
    // With the classic protocol, cooperative rebalancing keeps the lanes of partitions that stay
    // (an eager one drains every lane and rereads every ledger). The consumer protocol (KIP-848)
    // is incremental already and refuses an assignor setting.
    if (isClassic(props)
        && !props.containsKey(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG)) {
      props.put(
          ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
          CooperativeStickyAssignor.class.getName());
    }
    return props;
  }

  // Hooks and sensors must fire only on committed events: an aborted coordinator transaction's
  // verdicts fire nothing. Set here whatever the shared defaults or pass-through say.
  private static Map<String, Object> readCommitted(Map<String, Object> props) {
    Object asked = props.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG);
    String committed = IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT);
    if (asked != null && !committed.equalsIgnoreCase(asked.toString())) {
      LOG.warn(
          "Ignoring {}={} for the hooks-runner: it reads committed events only",
          ConsumerConfig.ISOLATION_LEVEL_CONFIG,
          asked);
    }
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committed);
    return props;
  }

  private static boolean isClassic(Map<String, Object> props) {
    Object protocol =
        props.getOrDefault(ConsumerConfig.GROUP_PROTOCOL_CONFIG, GroupProtocol.CLASSIC.name());
    return GroupProtocol.CLASSIC.name().equalsIgnoreCase(protocol.toString());
  }

  // A revocation waits for lanes inside poll(): keep it well within max.poll.interval.ms.
  private static Duration drainTimeout(HooksRunnerConfig config, Map<String, Object> props) {
    Object interval = props.get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
    long maxPollMillis = interval == null ? 300_000L : Long.parseLong(interval.toString());
    Duration cap = Duration.ofMillis(maxPollMillis / 2);
    return config.drainTimeout().compareTo(cap) > 0 ? cap : config.drainTimeout();
  }

  /** Returns whether the poll thread runs normally. */
  public boolean isHealthy() {
    return engine.isHealthy();
  }

  /** Returns the error that stopped the poll thread for good, or null while it runs. */
  public Throwable failure() {
    return engine.failure();
  }

  /**
   * Stops polling; lanes finish the record in hand within the drain timeout, what is done is
   * committed, then the clients close.
   */
  @Override
  public void close() {
    engine.close();
  }
}
