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
import io.opflow.worker.internal.RecentAttempts.Attempt;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's poll thread. Reads step tasks as bytes, decodes them itself (so one bad record goes
 * to the dead-letter topic instead of blocking its partition), sends StepStarted and hands the op
 * to the pool at once, without waiting for the broker.
 *
 * <p>No send blocks the poll thread or an op thread. A task's offset becomes committable when the
 * event that makes its outcome safe is acknowledged: its StepStarted (from then on the lease, not
 * redelivery, recovers the step), the StepFailed of a task for an unknown definition, or its dead
 * letter. A task redelivered for an attempt this worker already started is skipped. A send that
 * fails for good (the idempotent producer retried until {@code delivery.timeout.ms}) stops the loop
 * with an error naming the step, so the worker reports itself unhealthy; an offset never passes
 * that task.
 *
 * <p>When every slot is busy, polled tasks wait in a backlog (at most {@code max.poll.records} of
 * them) and the assigned partitions are paused, while polling goes on so the group never times the
 * worker out.
 */
final class TaskLoop extends PollLoop {
  private static final Logger LOG = LoggerFactory.getLogger(TaskLoop.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
  private static final Duration MAX_SILENCE = Duration.ofSeconds(60);

  /** How many started attempts are remembered to skip redelivered tasks (about 1 MB). */
  static final int RECENT_ATTEMPTS = 10_000;

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
  private final AtomicInteger waiting = new AtomicInteger();
  private final RecentAttempts recent = new RecentAttempts(RECENT_ATTEMPTS);
  private final Semaphore slots;

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
    this.slots = new Semaphore(settings.concurrency());
    metrics.waitingTasks(settings.workerId(), waiting);
  }

  @Override
  protected List<String> topics() {
    return List.of(topics.stepTasks());
  }

  @Override
  protected void pollOnce() {
    if (!backlog.isEmpty()) {
      awaitFreeSlot();
    }
    // With a backlog the partitions are paused: poll only to stay in the group and run callbacks.
    consumer.poll(backlog.isEmpty() ? POLL_TIMEOUT : Duration.ZERO).forEach(backlog::add);
    markPolled();
    drain();
    commit();
    flowControl();
  }

  // Waits for an op to end rather than for the poll timeout, so a freed slot is refilled at once.
  private void awaitFreeSlot() {
    try {
      if (slots.tryAcquire(POLL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        slots.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the next poll throws, and the loop stops
    }
  }

  private void drain() {
    while (!backlog.isEmpty() && slots.availablePermits() > 0) {
      ConsumerRecord<byte[], byte[]> record = backlog.poll();
      take(record);
      handle(record);
    }
    waiting.set(backlog.size());
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
      deadLetter(record, e);
      return;
    }
    try {
      dispatch(record, task);
    } catch (KafkaException | RejectedExecutionException e) {
      throw e;
    } catch (RuntimeException e) {
      deadLetter(record, e);
    }
  }

  private StepTask decode(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      throw new IllegalArgumentException("step task record has no value");
    }
    return taskSerde.deserialize(record.topic(), record.value());
  }

  private void dispatch(ConsumerRecord<byte[], byte[]> record, StepTask task) {
    if (!recent.firstStart(attemptOf(task))) {
      skipDuplicate(record, task);
      return;
    }
    JobDefinition job;
    OpDefinition<?> op;
    try {
      job = definitions.job(task.getJobName());
      op = job.node(task.getStepKey()).op();
      requireOp(task, op);
    } catch (UnknownDefinitionException e) {
      publishUnknown(record, task, e);
      return;
    }
    warnIfLeaseTooShort(task);
    // Sent before the op is handed over, so it precedes the terminal event in the partition.
    publish(task, StepEvents.started(task, settings.workerId(), Instant.now()), record);
    metrics.started(job.name(), op.name());
    startOp(task, job, op);
  }

  private void startOp(StepTask task, JobDefinition job, OpDefinition<?> op) {
    slots.acquireUninterruptibly(); // never waits: only this thread takes slots, after a check
    try {
      ops.execute(() -> runStep(task, job, op));
    } catch (RejectedExecutionException e) {
      slots.release();
      throw e;
    }
  }

  private static Attempt attemptOf(StepTask task) {
    return new Attempt(task.getRunId(), task.getStepKey(), task.getAttempt());
  }

  private void skipDuplicate(ConsumerRecord<byte[], byte[]> record, StepTask task) {
    LOG.debug(
        "Skipping task {}-{}@{}: this worker already started attempt {} of step {} of run {}",
        record.topic(),
        record.partition(),
        record.offset(),
        task.getAttempt(),
        task.getStepKey(),
        task.getRunId());
    markDone(record);
  }

  private void deadLetter(ConsumerRecord<byte[], byte[]> record, Exception error) {
    deadLetters.send(
        record,
        error,
        (metadata, sendError) -> {
          if (sendError == null) {
            markDone(record);
          } else {
            stopOnSendFailure(
                "the dead letter of task "
                    + record.topic()
                    + "-"
                    + record.partition()
                    + "@"
                    + record.offset(),
                sendError);
          }
        });
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

  private void publishUnknown(
      ConsumerRecord<byte[], byte[]> record, StepTask task, UnknownDefinitionException e) {
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
    publish(task, StepEvents.failed(task, error, Map.of(), Duration.ZERO), record);
  }

  private void runStep(StepTask task, JobDefinition job, OpDefinition<?> op) {
    try {
      StepExecution.Finished result = runWithLease(task, job, op);
      publishTerminal(task, result.event());
      metrics.ended(job.name(), op.name(), result.outcome(), result.took());
    } catch (KafkaException e) {
      stopOnSendFailure(describe(task, "its terminal event"), e);
    } catch (RuntimeException e) {
      // The lease runs out and the coordinator records the step as lost.
      LOG.error("Could not finish step {} of run {}", task.getStepKey(), task.getRunId(), e);
    } finally {
      slots.release();
    }
  }

  private StepExecution.Finished runWithLease(
      StepTask task, JobDefinition job, OpDefinition<?> op) {
    LeaseKeeper lease = LeaseKeeper.start(heartbeats, settings.heartbeat(), () -> heartbeat(task));
    try {
      return execution.run(task, job, op);
    } finally {
      lease.stop();
    }
  }

  /** Sends an event; once acknowledged, {@code done} (if any) may be committed. */
  private void publish(StepTask task, StepEvent event, ConsumerRecord<?, ?> done) {
    publisher.send(
        topics.stepEvents(),
        null,
        task.getRunId(),
        event,
        eventSerde,
        new RecordHeaders(),
        (metadata, error) -> {
          if (error != null) {
            stopOnSendFailure(describe(task, typeOf(event)), error);
          } else if (done != null) {
            markDone(done);
          }
        });
  }

  private void publishTerminal(StepTask task, StepEvent event) {
    publisher.send(
        topics.stepEvents(),
        null,
        task.getRunId(),
        event,
        eventSerde,
        new RecordHeaders(),
        (metadata, error) -> {
          if (error instanceof RecordTooLargeException) {
            // Specific to this event's size, not to the producer's health: fail the step instead.
            replaceTooLarge(task, event, error);
          } else if (error != null) {
            stopOnSendFailure(describe(task, typeOf(event)), error);
          }
        });
  }

  // Off the producer's I/O thread, where a send could wait for buffer space only it frees.
  private void replaceTooLarge(StepTask task, StepEvent event, Exception error) {
    try {
      heartbeats.execute(() -> publishTooLarge(task, event, error));
    } catch (RejectedExecutionException e) {
      stopOnSendFailure(describe(task, typeOf(event)), error);
    }
  }

  private void publishTooLarge(StepTask task, StepEvent event, Exception error) {
    String message =
        "The "
            + typeOf(event)
            + " event of step '"
            + task.getStepKey()
            + "' is too large to publish ("
            + error.getMessage()
            + "); keep outputs under opflow.outputs.inline.max.bytes together, return a reference"
            + " to large data instead, or raise kafka.max.request.size and the topic's"
            + " max.message.bytes";
    LOG.warn("Failing step {} of run {}: {}", task.getStepKey(), task.getRunId(), message);
    ErrorInfo info = new ErrorInfo(error.getClass().getName(), message, List.of(), null, false);
    publish(task, StepEvents.failed(task, info, Map.of(), Duration.ZERO), null);
  }

  private void heartbeat(StepTask task) {
    try {
      StepEvent beat = StepEvents.heartbeat(task, settings.workerId(), Instant.now());
      publisher.send(topics.stepEvents(), null, task.getRunId(), beat, eventSerde);
    } catch (RuntimeException e) {
      LOG.warn("Heartbeat of step {} failed: {}", task.getStepKey(), e.toString());
    }
  }

  /**
   * Stops the worker loudly: an event whose offset or outcome depends on it could not be written,
   * and the worker must not move past it. Callable from any thread.
   */
  private void stopOnSendFailure(String what, Throwable error) {
    String message = "Could not publish " + what + ": " + error + "; stopping the worker";
    LOG.error(message, error);
    fail(new KafkaException(message, error));
  }

  private static String describe(StepTask task, String what) {
    return what
        + " of step '"
        + task.getStepKey()
        + "' attempt "
        + task.getAttempt()
        + " of run "
        + task.getRunId();
  }

  private static String typeOf(StepEvent event) {
    return event.getPayload().getClass().getSimpleName();
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    // Every StepStarted sent so far is acknowledged after the flush, so the new owner of these
    // partitions does not run those attempts again.
    publisher.flush();
    commitAndWait();
    forgetOffsets(partitions);
    dropBacklog(partitions);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    forgetOffsets(partitions);
    dropBacklog(partitions);
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    // New partitions start from the group's committed offsets; while tasks wait, they start
    // paused, so the backlog never grows past one poll.
    if (!backlog.isEmpty()) {
      consumer.pause(partitions);
    }
  }

  @Override
  protected void beforeClose() {
    // The final commit then covers every task whose StepStarted the broker has.
    publisher.flush();
  }

  private void dropBacklog(Collection<TopicPartition> partitions) {
    backlog.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
    waiting.set(backlog.size());
  }
}
