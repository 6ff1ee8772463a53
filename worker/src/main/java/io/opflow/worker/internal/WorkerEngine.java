package io.opflow.worker.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.opflow.core.Definitions;
import io.opflow.runtime.DeadLetters;
import io.opflow.runtime.JsonValues;
import io.opflow.runtime.KafkaClientMetrics;
import io.opflow.runtime.spi.EventPublisher;
import io.opflow.runtime.spi.Threads;
import io.opflow.schemas.OpflowTopics;
import io.opflow.worker.WorkerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires a worker's clients, pools and poll thread, and takes them down in order. */
public final class WorkerEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerEngine.class);
  private static final Duration INTERRUPTED_OPS_WAIT = Duration.ofSeconds(2);

  private final WorkerConfig config;
  private final Producer<byte[], byte[]> producer;
  private final ExecutorService ops;
  private final ScheduledExecutorService heartbeats;
  private final TaskPollLoop loop;
  private final Thread loopThread;
  private final CanceledRuns canceledRuns;
  private final List<AutoCloseable> meterBindings = new ArrayList<>();

  /** Starts a worker's poll thread; ops run on a pool of the configured size. */
  public WorkerEngine(
      WorkerConfig config,
      Definitions definitions,
      MeterRegistry registry,
      Function<String, String> environment) {
    this.config = config;
    String id = config.workerId();
    OpflowTopics topics = config.topics();
    this.producer = new KafkaProducer<>(config.producerProps("opflow-worker-" + id + "-producer"));
    Consumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config.taskConsumerProps("opflow-worker-" + id + "-tasks"));
    meterBindings.add(KafkaClientMetrics.bind(producer, registry, "worker"));
    meterBindings.add(KafkaClientMetrics.bind(consumer, registry, "worker"));
    this.ops = Executors.newFixedThreadPool(config.concurrency(), Threads.daemon("opflow-op"));
    this.heartbeats =
        Executors.newSingleThreadScheduledExecutor(Threads.daemon("opflow-heartbeat"));
    this.canceledRuns =
        new CanceledRuns(
            new KafkaConsumer<>(config.consumerProps("opflow-worker-" + id + "-cancels", null)),
            topics.runEvents());
    Thread cancels = new Thread(canceledRuns, "opflow-worker-cancels");
    cancels.setDaemon(true);
    cancels.start();
    StepExecution execution =
        new StepExecution(JsonValues.withInlineCap(config.inlineMaxBytes()), environment);
    this.loop =
        new TaskPollLoop(
            consumer,
            new EventPublisher(producer),
            new DeadLetters(producer, topics.deadLetter(), config.groupId()),
            topics,
            definitions,
            new TaskPollLoop.Settings(
                id,
                config.concurrency(),
                config.heartbeatInterval(),
                config.startedDelay(),
                config.chaining()),
            execution,
            new WorkerMetrics(registry),
            ops,
            heartbeats,
            canceledRuns);
    this.loopThread = new Thread(loop, "opflow-worker-poll");
    loopThread.setDaemon(true);
    loopThread.start();
  }

  /** Returns whether the poll thread runs normally. */
  public boolean isHealthy() {
    return loopThread.isAlive() && loop.isHealthy();
  }

  /** Returns the error that stopped the poll thread, or null. */
  public Throwable failure() {
    return loop.failure();
  }

  /** Stops polling, waits up to the grace period for running ops, then closes the clients. */
  @Override
  public void close() {
    loop.stop();
    join(loopThread, Duration.ofSeconds(30));
    ops.shutdown();
    awaitOps(config.shutdownGrace());
    heartbeats.shutdownNow();
    canceledRuns.close();
    for (AutoCloseable binding : meterBindings) {
      try {
        binding.close();
      } catch (Exception e) {
        LOG.debug("Unbinding Kafka client metrics failed", e);
      }
    }
    producer.close(Duration.ofSeconds(10));
  }

  private void awaitOps(Duration grace) {
    try {
      if (!ops.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("Ops still running after {}; interrupting them (their leases will expire)", grace);
        loop.interruptingOpsForShutdown();
        ops.shutdownNow();
        // Interrupted ops that stop promptly still send what they must (a StepStarted not yet
        // sent) before the producer closes.
        if (!ops.awaitTermination(INTERRUPTED_OPS_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn(
              "Ops still running {} after being interrupted; leaving them", INTERRUPTED_OPS_WAIT);
        }
      }
    } catch (InterruptedException e) {
      loop.interruptingOpsForShutdown();
      ops.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static void join(Thread thread, Duration timeout) {
    try {
      thread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
