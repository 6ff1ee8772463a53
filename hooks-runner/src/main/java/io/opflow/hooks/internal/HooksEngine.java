package io.opflow.hooks.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.opflow.core.Definitions;
import io.opflow.core.internal.HookExecution;
import io.opflow.hooks.HooksRunnerConfig;
import io.opflow.runtime.DeadLetters;
import io.opflow.runtime.KafkaClientMetrics;
import io.opflow.runtime.internal.EventPublisher;
import io.opflow.runtime.internal.Threads;
import io.opflow.schemas.OpflowTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires a hooks-runner's clients, hook threads and poll thread, and takes them down in order. */
public final class HooksEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HooksEngine.class);

  private static final int DEFAULT_MAX_POLL_RECORDS = 20;

  private final Producer<byte[], byte[]> producer;
  private final ExecutorService hookThreads;
  private final EventLoop loop;
  private final Thread loopThread;
  private final List<AutoCloseable> meterBindings = new ArrayList<>();

  /** Starts the poll thread. */
  public HooksEngine(
      HooksRunnerConfig config,
      Definitions definitions,
      MeterRegistry registry,
      Function<String, String> environment) {
    String clientId = "opflow-hooks-runner-" + UUID.randomUUID().toString().substring(0, 8);
    OpflowTopics topics = config.topics();
    this.producer = new KafkaProducer<>(config.producerProps(clientId + "-producer"));
    Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(eventConsumerProps(config, clientId));
    Consumer<byte[], byte[]> ledgerConsumer =
        new KafkaConsumer<>(config.consumerProps(clientId + "-ledger", null));
    meterBindings.add(KafkaClientMetrics.bind(producer, registry, "hooks-runner"));
    meterBindings.add(KafkaClientMetrics.bind(consumer, registry, "hooks-runner"));
    this.hookThreads =
        Executors.newFixedThreadPool(config.hookThreads(), Threads.daemon("opflow-hook"));
    EventPublisher publisher = new EventPublisher(producer);
    StepHooks hooks =
        new StepHooks(
            definitions,
            new HookExecution(hookThreads),
            environment,
            publisher,
            topics.hookEvents(),
            new HooksMetrics(registry));
    this.loop =
        new EventLoop(
            consumer,
            new LedgerReader(ledgerConsumer, topics.hookEvents()),
            hooks,
            new Sensors(definitions),
            new DeadLetters(producer, topics.deadLetter(), config.groupId()),
            topics);
    this.loopThread = new Thread(loop, "opflow-hooks-poll");
    loopThread.setDaemon(true);
    loopThread.start();
  }

  // Hooks run on the poll thread, each up to its timeout: fewer records per poll keep the time
  // between polls under max.poll.interval.ms. A kafka.max.poll.records setting wins.
  private static Map<String, Object> eventConsumerProps(HooksRunnerConfig config, String id) {
    Map<String, Object> props = config.consumerProps(id + "-events", config.groupId());
    if (!config.kafkaOverrides().containsKey(ConsumerConfig.MAX_POLL_RECORDS_CONFIG)) {
      props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, DEFAULT_MAX_POLL_RECORDS);
    }
    return props;
  }

  /** Returns whether the poll thread runs normally. */
  public boolean isHealthy() {
    return loopThread.isAlive() && loop.isHealthy();
  }

  /** Stops polling after the current record's hooks, then closes the clients. */
  @Override
  public void close() {
    loop.stop();
    try {
      loopThread.join(Duration.ofMinutes(2).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    hookThreads.shutdownNow();
    for (AutoCloseable binding : meterBindings) {
      try {
        binding.close();
      } catch (Exception e) {
        LOG.debug("Unbinding Kafka client metrics failed", e);
      }
    }
    producer.close(Duration.ofSeconds(10));
  }
}
