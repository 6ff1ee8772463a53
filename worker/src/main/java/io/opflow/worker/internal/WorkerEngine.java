package io.opflow.worker.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.opflow.core.Definitions;
import io.opflow.runtime.DeadLetters;
import io.opflow.runtime.JsonValues;
import io.opflow.runtime.spi.EventPublisher;
import io.opflow.runtime.spi.RoleEngine;
import io.opflow.runtime.spi.Threads;
import io.opflow.schemas.OpflowTopics;
import io.opflow.worker.WorkerConfig;
import java.time.Duration;
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

/**
 * Wires a worker's clients, pools and poll thread on the shared {@link RoleEngine}, which takes
 * them down in order: the poll thread, then the op pool (within the shutdown grace), the heartbeat
 * timer and the cancel watcher, then the producer.
 */
public final class WorkerEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerEngine.class);
  private static final Duration INTERRUPTED_OPS_WAIT = Duration.ofSeconds(2);
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);

  private final RoleEngine engine;

  /** Starts a worker's poll thread; ops run on a pool of the configured size. */
  public WorkerEngine(
      WorkerConfig config,
      Definitions definitions,
      MeterRegistry registry,
      Function<String, String> environment) {
    String id = config.workerId();
    OpflowTopics topics = config.topics();
    Producer<byte[], byte[]> producer =
        new KafkaProducer<>(config.producerProps("opflow-worker-" + id + "-producer"));
    this.engine = new RoleEngine("worker", producer, registry);
    Consumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config.taskConsumerProps("opflow-worker-" + id + "-tasks"));
    engine.bindMetrics(consumer);
    ExecutorService ops =
        Executors.newFixedThreadPool(config.concurrency(), Threads.daemon("opflow-op"));
    ScheduledExecutorService heartbeats =
        Executors.newSingleThreadScheduledExecutor(Threads.daemon("opflow-heartbeat"));
    CanceledRuns canceledRuns =
        new CanceledRuns(
            new KafkaConsumer<>(config.consumerProps("opflow-worker-" + id + "-cancels", null)),
            topics.runEvents());
    Thread cancels = new Thread(canceledRuns, "opflow-worker-cancels");
    cancels.setDaemon(true);
    cancels.start();
    StepExecution execution =
        new StepExecution(JsonValues.withInlineCap(config.inlineMaxBytes()), environment);
    TaskPollLoop loop =
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
    engine.onClose(
        () -> {
          ops.shutdown();
          awaitOps(ops, loop, config.shutdownGrace());
        });
    engine.onClose(heartbeats::shutdownNow);
    engine.onClose(canceledRuns::close);
    engine.start(loop, "opflow-worker-poll", JOIN_TIMEOUT);
  }

  /** Returns whether the poll thread runs normally. */
  public boolean isHealthy() {
    return engine.isHealthy();
  }

  /** Returns the error that stopped the poll thread, or null. */
  public Throwable failure() {
    return engine.failure();
  }

  /** Stops polling, waits up to the grace period for running ops, then closes the clients. */
  @Override
  public void close() {
    engine.close();
  }

  private static void awaitOps(ExecutorService ops, TaskPollLoop loop, Duration grace) {
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
}
