package io.opflow.worker.internal;

import io.opflow.core.Definitions;
import io.opflow.core.ErrorInfo;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.UnknownDefinitionException;
import io.opflow.events.StepEvent;
import io.opflow.events.StepTask;
import io.opflow.events.StepUpForRetry;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
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
 * <p>With a started delay, StepStarted is sent only once the op has run that long; a step that ends
 * sooner publishes only its terminal event, and its task becomes committable when that event is
 * acknowledged. A revocation or shutdown sends the delayed StepStarted events at once.
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

  private static final int HUNG_OP_GRACE_BEATS = 3;
  private static final Duration MIN_HUNG_OP_GRACE = Duration.ofSeconds(10);
  private volatile boolean opsInterruptedForShutdown;
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
  // Ops whose StepStarted is not sent yet, by partition: a revocation sends them at once.
  private final Map<LeaseKeeper, TopicPartition> deferredStarts = new ConcurrentHashMap<>();

  /**
   * The settings the loop needs.
   *
   * @param workerId this worker's id
   * @param concurrency how many ops run at once
   * @param heartbeat interval between heartbeats
   * @param startedDelay how long an op runs before its StepStarted is sent; zero sends it at once
   */
  record Settings(String workerId, int concurrency, Duration heartbeat, Duration startedDelay) {}

  /** A task whose op runs, and when it started. */
  private record Running(
      ConsumerRecord<byte[], byte[]> record,
      StepTask task,
      JobDefinition job,
      OpDefinition<?> op,
      Instant startedAt) {}

  /** How an op ended: its result (null if it could not run) and whether StepStarted was sent. */
  private record Outcome(StepExecution.Finished result, boolean startSent) {}

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
    Running step = new Running(record, task, job, op, Instant.now());
    if (settings.startedDelay().isZero()) {
      // Sent before the op is handed over, so it precedes the terminal event in the partition.
      publish(task, startedEvent(step), record);
    }
    metrics.started(job.name(), op.name());
    startOp(step);
  }

  private void startOp(Running step) {
    slots.acquireUninterruptibly(); // never waits: only this thread takes slots, after a check
    try {
      ops.execute(() -> runStep(step));
    } catch (RejectedExecutionException e) {
      slots.release();
      throw e;
    }
  }

  private StepEvent startedEvent(Running step) {
    return StepEvents.started(step.task(), settings.workerId(), step.startedAt(), Instant.now());
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

  private void runStep(Running step) {
    try {
      publishOutcome(step, runWithLease(step));
    } catch (RuntimeException e) { // refused at once: the producer is closed, failed or fenced
      stopOnSendFailure(describe(step.task(), "the outcome"), e);
    } finally {
      slots.release();
    }
  }

  private Outcome runWithLease(Running step) {
    LeaseKeeper lease = lease(step);
    StepExecution.Finished result = null;
    boolean startSent;
    try {
      result =
          execution.run(
              step.task(),
              step.job(),
              step.op(),
              timeout -> lease.endAfter(hungOpLimit(timeout), describe(step.task(), "op")));
    } catch (RuntimeException e) {
      LOG.error(
          "Could not finish step {} of run {}",
          step.task().getStepKey(),
          step.task().getRunId(),
          e);
    } finally {
      startSent = lease.stop();
      deferredStarts.remove(lease);
    }
    return new Outcome(result, startSent);
  }

  // An op that ignores the interrupt at its timeout keeps its slot, but no longer its lease: the
  // coordinator then ends the attempt as lost, and the retry policy decides.
  private Duration hungOpLimit(Duration timeout) {
    Duration grace = settings.heartbeat().multipliedBy(HUNG_OP_GRACE_BEATS);
    return timeout.plus(grace.compareTo(MIN_HUNG_OP_GRACE) < 0 ? MIN_HUNG_OP_GRACE : grace);
  }

  private LeaseKeeper lease(Running step) {
    StepTask task = step.task();
    if (settings.startedDelay().isZero()) {
      return LeaseKeeper.start(heartbeats, settings.heartbeat(), () -> heartbeat(task));
    }
    LeaseKeeper lease =
        LeaseKeeper.startAfter(
            heartbeats,
            settings.startedDelay(),
            settings.heartbeat(),
            () -> publish(task, startedEvent(step), step.record()),
            () -> heartbeat(task));
    deferredStarts.put(lease, partitionOf(step.record()));
    return lease;
  }

  /**
   * Publishes how the op ended. A step that ended before its StepStarted was due publishes only its
   * terminal event, which then makes the task committable: a success or failure carries its
   * duration, so watchers still see when it started. An up-for-retry carries none, so its
   * StepStarted goes first.
   */
  private void publishOutcome(Running step, Outcome outcome) {
    StepTask task = step.task();
    StepExecution.Finished result = outcome.result();
    if (result != null && stoppedByShutdown(task, result)) {
      result = null;
    }
    if (result == null) {
      if (!outcome.startSent()) {
        // The op could not run: its lease, not a stuck offset, must recover the step.
        publish(task, startedEvent(step), step.record());
      }
      return;
    }
    ConsumerRecord<?, ?> done = null;
    if (!outcome.startSent() && result.event().getPayload() instanceof StepUpForRetry) {
      publish(task, startedEvent(step), step.record());
    } else if (!outcome.startSent()) {
      done = step.record();
    }
    publishTerminal(task, result.event(), done);
    metrics.ended(step.job().name(), step.op().name(), result.outcome(), result.took());
  }

  /**
   * Marks that the worker is interrupting the ops still running at the end of its shutdown grace.
   * From then on an op that ends without succeeding publishes no terminal event: its failure is the
   * shutdown's, not the op's. Its lease, no longer renewed, ends the attempt on the coordinator as
   * lost, and the op's retry policy decides, as for a worker that died.
   */
  void interruptingOpsForShutdown() {
    opsInterruptedForShutdown = true;
  }

  private boolean stoppedByShutdown(StepTask task, StepExecution.Finished result) {
    if (!opsInterruptedForShutdown || result.succeeded()) {
      return false;
    }
    LOG.warn(
        "Step {} of run {} (attempt {}) was stopped by this worker's shutdown; its lease will end"
            + " and the coordinator will treat the attempt as lost",
        task.getStepKey(),
        task.getRunId(),
        task.getAttempt());
    return true;
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

  private void publishTerminal(StepTask task, StepEvent event, ConsumerRecord<?, ?> done) {
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
            replaceTooLarge(task, event, error, done);
          } else if (error != null) {
            stopOnSendFailure(describe(task, typeOf(event)), error);
          } else if (done != null) {
            markDone(done);
          }
        });
  }

  // Off the producer's I/O thread, where a send could wait for buffer space only it frees.
  private void replaceTooLarge(
      StepTask task, StepEvent event, Exception error, ConsumerRecord<?, ?> done) {
    try {
      heartbeats.execute(() -> publishTooLarge(task, event, error, done));
    } catch (RejectedExecutionException e) {
      stopOnSendFailure(describe(task, typeOf(event)), error);
    }
  }

  private void publishTooLarge(
      StepTask task, StepEvent event, Exception error, ConsumerRecord<?, ?> done) {
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
    publish(task, StepEvents.failed(task, info, Map.of(), Duration.ZERO), done);
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
    LOG.error(message); // the loop logs the stack trace as it stops
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
    // Every StepStarted of these partitions is sent, and acknowledged after the flush, so the new
    // owner of these partitions does not run those attempts again.
    sendDeferredStarts(partitions::contains);
    publisher.flush();
    try {
      commitAndWait();
    } catch (KafkaException e) {
      // Not fatal: this worker was dropped from the group, and the partitions' next owner reads
      // the uncommitted tasks again. The worker stays in the group and keeps working.
      LOG.warn("Committing offsets of revoked partitions {} failed: {}", partitions, e.toString());
    }
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
    // The final commit then covers every running task: ops go on during the shutdown grace.
    sendDeferredStarts(partition -> true);
    publisher.flush();
  }

  private void sendDeferredStarts(Predicate<TopicPartition> of) {
    deferredStarts.forEach(
        (lease, partition) -> {
          if (of.test(partition)) {
            lease.startNow();
          }
        });
  }

  private static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
    return new TopicPartition(record.topic(), record.partition());
  }

  private void dropBacklog(Collection<TopicPartition> partitions) {
    backlog.removeIf(r -> partitions.contains(partitionOf(r)));
    waiting.set(backlog.size());
  }
}
