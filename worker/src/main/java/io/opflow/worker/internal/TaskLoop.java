package io.opflow.worker.internal;

import io.opflow.core.Definitions;
import io.opflow.core.ErrorInfo;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.UnknownDefinitionException;
import io.opflow.events.StepEvent;
import io.opflow.events.StepTask;
import io.opflow.runtime.DeadLetters;
import io.opflow.runtime.internal.EventPublisher;
import io.opflow.runtime.internal.PollLoop;
import io.opflow.schemas.AvroEventSerde;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.OpflowTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's poll thread. Reads step tasks as bytes, decodes them itself (so one bad record goes
 * to the dead-letter topic instead of blocking its partition), publishes StepStarted, commits the
 * task's offset, and hands the op to the pool. When every slot is busy, tasks wait in a backlog and
 * the assigned partitions are paused, while polling goes on so the group never times the worker
 * out.
 */
final class TaskLoop extends PollLoop {
  private static final Logger LOG = LoggerFactory.getLogger(TaskLoop.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
  private static final Duration MAX_SILENCE = Duration.ofSeconds(60);

  private final EventPublisher publisher;
  private final DeadLetters deadLetters;
  private final OpflowTopics topics;
  private final Definitions definitions;
  private final Settings settings;
  private final StepExecution execution;
  private final WorkerMetrics metrics;
  private final ExecutorService ops;
  private final ScheduledExecutorService heartbeats;
  private final AvroEventSerde<StepTask> taskSerde = OpflowSerdes.stepTasks();
  private final AvroEventSerde<StepEvent> eventSerde = OpflowSerdes.stepEvents();
  private final Deque<ConsumerRecord<byte[], byte[]>> backlog = new ArrayDeque<>();
  private final AtomicInteger inFlight = new AtomicInteger();

  /**
   * The settings the loop needs.
   *
   * @param workerId this worker's id
   * @param concurrency how many ops run at once
   * @param heartbeat interval between heartbeats
   */
  record Settings(String workerId, int concurrency, Duration heartbeat) {}

  /** Creates the loop; {@link #run()} it on its own thread. */
  TaskLoop(
      Consumer<byte[], byte[]> consumer,
      EventPublisher publisher,
      DeadLetters deadLetters,
      OpflowTopics topics,
      Definitions definitions,
      Settings settings,
      StepExecution execution,
      WorkerMetrics metrics,
      ExecutorService ops,
      ScheduledExecutorService heartbeats) {
    super(consumer, MAX_SILENCE);
    this.publisher = publisher;
    this.deadLetters = deadLetters;
    this.topics = topics;
    this.definitions = definitions;
    this.settings = settings;
    this.execution = execution;
    this.metrics = metrics;
    this.ops = ops;
    this.heartbeats = heartbeats;
  }

  @Override
  protected List<String> topics() {
    return List.of(topics.stepTasks());
  }

  @Override
  protected void pollOnce() {
    consumer.poll(POLL_TIMEOUT).forEach(backlog::add);
    markPolled();
    drain();
    commit();
    flowControl();
  }

  private void drain() {
    while (!backlog.isEmpty() && inFlight.get() < settings.concurrency()) {
      ConsumerRecord<byte[], byte[]> record = backlog.poll();
      take(record);
      handle(record);
      markDone(record);
    }
  }

  private void flowControl() {
    if (!backlog.isEmpty()) {
      consumer.pause(consumer.assignment());
    } else if (!consumer.paused().isEmpty()) {
      consumer.resume(consumer.paused());
    }
  }

  private void handle(ConsumerRecord<byte[], byte[]> record) {
    StepTask task;
    try {
      task = decode(record);
    } catch (RuntimeException e) {
      deadLetters.send(record, e);
      return;
    }
    try {
      dispatch(task);
    } catch (KafkaException e) {
      throw e;
    } catch (RuntimeException e) {
      deadLetters.send(record, e);
    }
  }

  private StepTask decode(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      throw new IllegalArgumentException("step task record has no value");
    }
    return taskSerde.deserialize(record.topic(), record.value());
  }

  private void dispatch(StepTask task) {
    JobDefinition job;
    OpDefinition<?> op;
    try {
      job = definitions.job(task.getJobName());
      op = job.node(task.getStepKey()).op();
      requireOp(task, op);
    } catch (UnknownDefinitionException e) {
      publishUnknown(task, e);
      return;
    }
    warnIfLeaseTooShort(task);
    publisher.sendAndWait(
        topics.stepEvents(),
        null,
        task.getRunId(),
        StepEvents.started(task, settings.workerId(), Instant.now()),
        eventSerde);
    metrics.started(job.name(), op.name());
    inFlight.incrementAndGet();
    try {
      ops.execute(() -> runStep(task, job, op));
    } catch (RejectedExecutionException e) {
      inFlight.decrementAndGet();
      throw e;
    }
  }

  private void warnIfLeaseTooShort(StepTask task) {
    if (settings.heartbeat().toMillis() >= task.getLeaseMillis()) {
      LOG.warn(
          "Heartbeat interval {} is not shorter than the lease of {} ms of step {}: the step may"
              + " be declared lost while it runs; lower opflow.worker.heartbeat.ms",
          settings.heartbeat(),
          task.getLeaseMillis(),
          task.getStepKey());
    }
  }

  private void requireOp(StepTask task, OpDefinition<?> op) {
    if (!op.name().equals(task.getOpName())) {
      throw new UnknownDefinitionException(
          "job '"
              + task.getJobName()
              + "' node '"
              + task.getStepKey()
              + "' runs op '"
              + op.name()
              + "' in this worker's code, not '"
              + task.getOpName()
              + "'");
    }
  }

  private void publishUnknown(StepTask task, UnknownDefinitionException e) {
    String message =
        e.getMessage()
            + " (task for op '"
            + task.getOpName()
            + "' of code version "
            + task.getCodeVersion()
            + "; this worker runs code version "
            + definitions.codeVersion()
            + "; deploy workers with that code)";
    ErrorInfo error =
        new ErrorInfo(UnknownDefinitionException.class.getName(), message, List.of(), null, false);
    LOG.warn("Failing step {} of run {}: {}", task.getStepKey(), task.getRunId(), message);
    StepEvent failed = StepEvents.failed(task, error, Map.of(), Duration.ZERO);
    publisher.sendAndWait(topics.stepEvents(), null, task.getRunId(), failed, eventSerde);
  }

  private void runStep(StepTask task, JobDefinition job, OpDefinition<?> op) {
    LeaseKeeper lease = LeaseKeeper.start(heartbeats, settings.heartbeat(), () -> heartbeat(task));
    try {
      StepExecution.Finished result;
      try {
        result = execution.run(task, job, op);
      } finally {
        lease.stop();
      }
      publisher.sendAndWait(topics.stepEvents(), null, task.getRunId(), result.event(), eventSerde);
      metrics.ended(job.name(), op.name(), result.outcome(), result.took());
    } catch (RuntimeException e) {
      // The lease runs out and the coordinator records the step as lost.
      LOG.error("Could not finish step {} of run {}", task.getStepKey(), task.getRunId(), e);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void heartbeat(StepTask task) {
    try {
      StepEvent beat = StepEvents.heartbeat(task, settings.workerId(), Instant.now());
      publisher.send(topics.stepEvents(), null, task.getRunId(), beat, eventSerde);
    } catch (RuntimeException e) {
      LOG.warn("Heartbeat of step {} failed: {}", task.getStepKey(), e.toString());
    }
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    commitAndWait();
    backlog.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    forgetOffsets(partitions);
    backlog.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    // Nothing to do: new partitions start from the group's committed offsets.
  }
}
