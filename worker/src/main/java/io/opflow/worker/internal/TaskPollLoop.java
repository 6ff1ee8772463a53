package io.opflow.worker.internal;

import io.opflow.core.Definitions;
import io.opflow.core.ErrorInfo;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.UnknownDefinitionException;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepSucceeded;
import io.opflow.events.StepUpForRetry;
import io.opflow.protocol.ChainedStep;
import io.opflow.protocol.StepTask;
import io.opflow.runtime.DeadLetters;
import io.opflow.runtime.spi.EventPublisher;
import io.opflow.runtime.spi.PollLoop;
import io.opflow.schemas.AvroEventSerde;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.OpflowTopics;
import io.opflow.worker.internal.RecentAttempts.Attempt;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
final class TaskPollLoop extends PollLoop {
  private static final Logger LOG = LoggerFactory.getLogger(TaskPollLoop.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
  private static final Duration MAX_SILENCE = Duration.ofSeconds(60);

  /** How many started attempts are remembered to skip redelivered tasks (about 1 MB). */
  static final int RECENT_ATTEMPTS = 10_000;

  /** The reason of the StepSkipped an op stopped by its run's cancellation publishes. */
  static final String STOPPED_BY_CANCEL = "run canceled: the op was stopped while it ran";

  // nanoTime may be any long, negative too: this one marks that no renewal was acknowledged yet.
  private static final long NO_RENEWAL = Long.MIN_VALUE;

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
  private final CanceledRuns canceledRuns;
  private final AvroEventSerde<StepTask> taskSerde = OpflowSerdes.stepTasks();
  private final AvroEventSerde<StepEvent> eventSerde = OpflowSerdes.stepEvents();
  private final Deque<ConsumerRecord<byte[], byte[]>> backlog = new ArrayDeque<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final RecentAttempts recent = new RecentAttempts(RECENT_ATTEMPTS);
  private final Semaphore slots;
  // Ops running now, with their threads: a cancellation of their run interrupts them. Identity,
  // not equality: a step is one attempt run once. Guarded by itself.
  private final IdentityHashMap<Running, Thread> runningOps = new IdentityHashMap<>();
  private final Set<Running> stoppedByCancel = ConcurrentHashMap.newKeySet();
  // Ops whose StepStarted is not sent yet, by partition: a revocation sends them at once.
  private final Map<LeaseKeeper, TopicPartition> deferredStarts = new ConcurrentHashMap<>();

  /**
   * The settings the loop needs.
   *
   * @param workerId this worker's id
   * @param concurrency how many ops run at once
   * @param heartbeat interval between heartbeats
   * @param startedDelay how long an op runs before its StepStarted is sent; zero sends it at once
   * @param chaining whether the next step of a task's chain starts here when its step succeeds
   */
  record Settings(
      String workerId,
      int concurrency,
      Duration heartbeat,
      Duration startedDelay,
      boolean chaining) {}

  /**
   * A step whose op runs, and when it started.
   *
   * @param record the task record it came from (for a chained step, the chain's first task)
   * @param chained whether this step was started here after the one before it, not by its own task
   * @param leaseRenewed when the last StepStarted or heartbeat of this attempt that the broker
   *     acknowledged was sent (for a chained step, at first the success that started it), by {@link
   *     System#nanoTime()}; {@link #NO_RENEWAL} while there is none
   */
  private record Running(
      ConsumerRecord<byte[], byte[]> record,
      StepTask task,
      JobDefinition job,
      OpDefinition<?> op,
      Instant startedAt,
      boolean chained,
      AtomicLong leaseRenewed) {

    Running(
        ConsumerRecord<byte[], byte[]> record,
        StepTask task,
        JobDefinition job,
        OpDefinition<?> op,
        boolean chained) {
      this(record, task, job, op, Instant.now(), chained, new AtomicLong(NO_RENEWAL));
    }

    /** The record to mark done once this step's start is safe; none for a chained step. */
    ConsumerRecord<byte[], byte[]> ownRecord() {
      return chained ? null : record;
    }
  }

  /** How an op ended: its result (null if it could not run) and whether StepStarted was sent. */
  private record Outcome(StepExecution.Finished result, boolean startSent) {}

  /** Creates the loop; {@link #run()} it on its own thread. */
  TaskPollLoop(
      Consumer<byte[], byte[]> consumer,
      EventPublisher publisher,
      DeadLetters deadLetters,
      OpflowTopics topics,
      Definitions definitions,
      Settings settings,
      StepExecution execution,
      WorkerMetrics metrics,
      ExecutorService ops,
      ScheduledExecutorService heartbeats,
      CanceledRuns canceledRuns) {
    super(consumer, MAX_SILENCE);
    this.canceledRuns = canceledRuns;
    canceledRuns.whenCanceled(this::stopOpsOf);
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
      reportUndecodable(record, e);
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

  /**
   * A task this worker cannot decode (for example written with a schema it does not know yet) is
   * dead-lettered. When its headers name the attempt, the attempt is first reported failed, so the
   * coordinator ends the step at once, saying why, instead of at its start deadline.
   */
  private void reportUndecodable(ConsumerRecord<byte[], byte[]> record, RuntimeException error) {
    Optional<StepEvent> failed = UndecodableTasks.failure(record, error, definitions);
    if (failed.isEmpty()) {
      deadLetter(record, error);
      return;
    }
    StepEvent event = failed.get();
    LOG.warn(
        "Failing step {} attempt {} of run {}: {}",
        event.getStepKey(),
        event.getAttempt(),
        event.getRunId(),
        ((StepFailed) event.getPayload()).getError().getMessage());
    publisher.send(
        topics.stepEvents(),
        null,
        event.getRunId(),
        event,
        eventSerde,
        new RecordHeaders(),
        (metadata, sendError) -> {
          if (sendError != null) {
            stopOnSendFailure("the failure of an undecodable task", sendError);
          } else {
            offProducerThread(
                () -> deadLetter(record, error),
                "the dead letter of task " + record.topic() + "@" + record.offset(),
                error);
          }
        });
  }

  private StepTask decode(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      throw new IllegalArgumentException("step task record has no value");
    }
    return taskSerde.deserialize(record.topic(), record.value());
  }

  private void dispatch(ConsumerRecord<byte[], byte[]> record, StepTask task) {
    if (canceledRuns.isCanceled(task.getRunId())) {
      skipCanceled(record, task);
      return;
    }
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
    Running step = new Running(record, task, job, op, false);
    // Sent before the op is handed over, so it precedes the terminal event in the partition.
    sendStartedUnlessDelayed(step);
    startOp(step);
  }

  private void sendStartedUnlessDelayed(Running step) {
    if (startsAtOnce(step)) {
      publishStarted(step);
    }
    metrics.started(step.job().name(), step.op().name());
  }

  /**
   * Returns whether the step's StepStarted goes out as it starts, not after the started delay. A
   * task that lists a chain announces its step at once even with a delay: its success may start the
   * next step only once an acknowledged announcement fences it (see {@link #chainHolds}). A chained
   * step needs no StepStarted for that: the success that started it announced it.
   */
  private boolean startsAtOnce(Running step) {
    return settings.startedDelay().isZero()
        || (settings.chaining() && !step.chained() && !step.task().getChain().isEmpty());
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

  private void skipCanceled(ConsumerRecord<byte[], byte[]> record, StepTask task) {
    LOG.debug(
        "Skipping task of step {} attempt {}: run {} was canceled",
        task.getStepKey(),
        task.getAttempt(),
        task.getRunId());
    markDone(record);
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

  // Runs a step, then each step of its chain that this worker may start, in the same slot.
  private void runStep(Running first) {
    Running step = first;
    try {
      while (step != null) {
        step = publishOutcome(step, runWithLease(step));
      }
    } catch (RuntimeException e) { // refused at once: the producer is closed, failed or fenced
      stopOnSendFailure(describe(first.task(), "the outcome"), e);
    } finally {
      slots.release();
    }
  }

  private Outcome runWithLease(Running step) {
    LeaseKeeper lease = lease(step);
    StepExecution.Finished result = null;
    boolean startSent;
    synchronized (runningOps) {
      runningOps.put(step, Thread.currentThread());
    }
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
      synchronized (runningOps) {
        runningOps.remove(step);
      }
      if (stoppedByCancel.contains(step)) {
        Thread.interrupted(); // no longer running: the interrupt must not reach the next op
      }
      startSent = lease.stop();
      deferredStarts.remove(lease);
    }
    return new Outcome(result, startSent);
  }

  /**
   * Interrupts the ops of a run that was canceled; called on the watcher's thread. An op that then
   * fails (or could not run) publishes a StepSkipped saying it was stopped, not a failure: nothing
   * went wrong with it, and its retry policy must not run it again.
   */
  private void stopOpsOf(String runId) {
    synchronized (runningOps) {
      runningOps.forEach(
          (step, thread) -> {
            if (step.task().getRunId().equals(runId)) {
              LOG.info(
                  "Stopping step {} attempt {}: run {} was canceled",
                  step.task().getStepKey(),
                  step.task().getAttempt(),
                  runId);
              stoppedByCancel.add(step);
              thread.interrupt();
            }
          });
    }
  }

  private StepExecution.Finished canceledWhileRunning(Running step, Duration took) {
    StepEvent skipped = StepEvents.skipped(step.task(), STOPPED_BY_CANCEL);
    return new StepExecution.Finished(skipped, "canceled", took);
  }

  // An op that ignores the interrupt at its timeout keeps its slot, but no longer its lease: the
  // coordinator then ends the attempt as lost, and the retry policy decides.
  private Duration hungOpLimit(Duration timeout) {
    Duration grace = settings.heartbeat().multipliedBy(HUNG_OP_GRACE_BEATS);
    return timeout.plus(grace.compareTo(MIN_HUNG_OP_GRACE) < 0 ? MIN_HUNG_OP_GRACE : grace);
  }

  private LeaseKeeper lease(Running step) {
    if (startsAtOnce(step)) {
      return LeaseKeeper.start(heartbeats, settings.heartbeat(), () -> heartbeat(step));
    }
    LeaseKeeper lease =
        LeaseKeeper.startAfter(
            heartbeats,
            settings.startedDelay(),
            settings.heartbeat(),
            () -> publishStarted(step),
            () -> heartbeat(step));
    deferredStarts.put(lease, partitionOf(step.record()));
    return lease;
  }

  /**
   * Publishes how the op ended. A step that ended before its StepStarted was due publishes only its
   * terminal event, which then makes the task committable: a success or failure carries its
   * duration, so watchers still see when it started. An up-for-retry carries none, so its
   * StepStarted goes first.
   *
   * @return the next step of the chain, started here, or null
   */
  private Running publishOutcome(Running step, Outcome outcome) {
    StepTask task = step.task();
    StepExecution.Finished result = outcome.result();
    if (stoppedByCancel.remove(step) && (result == null || !result.succeeded())) {
      result = canceledWhileRunning(step, result == null ? Duration.ZERO : result.took());
    } else if (result != null && stoppedByShutdown(task, result)) {
      result = null;
    }
    if (result == null) {
      if (!outcome.startSent()) {
        // The op could not run: its lease, not a stuck offset, must recover the step.
        publishStarted(step);
      }
      return null;
    }
    ConsumerRecord<?, ?> done = null;
    if (!outcome.startSent() && result.event().getPayload() instanceof StepUpForRetry) {
      publishStarted(step);
    } else if (!outcome.startSent()) {
      done = step.ownRecord();
    }
    Running next = outcome.startSent() || step.chained() ? nextInChain(step, result) : null;
    StepEvent terminal = next == null ? result.event() : chainedTo(result.event(), next);
    long sentAt = System.nanoTime();
    CompletableFuture<Void> acknowledged = publishTerminal(task, terminal, done);
    metrics.ended(step.job().name(), step.op().name(), result.outcome(), result.took());
    return next != null && chainHolds(step, next, acknowledged, sentAt) ? next : null;
  }

  /**
   * Returns the next step of the task's chain if this worker may start it after {@code step}
   * succeeded: chaining is on, the worker is not stopping, the run was not canceled, this worker's
   * code has the step's op, and the step produced every output the next one reads.
   */
  private Running nextInChain(Running step, StepExecution.Finished result) {
    StepTask task = step.task();
    if (!settings.chaining()
        || task.getChain().isEmpty()
        || !(result.event().getPayload() instanceof StepSucceeded succeeded)
        || isStopping()
        || opsInterruptedForShutdown
        || canceledRuns.isCanceled(task.getRunId())) {
      return null;
    }
    ChainedStep chained = task.getChain().get(0);
    Map<String, String> inputs = new LinkedHashMap<>();
    for (Map.Entry<String, String> input : chained.getInputs().entrySet()) {
      String value = succeeded.getOutputsJson().get(input.getValue());
      if (value == null) {
        return null; // the coordinator skips a step whose input was not produced
      }
      inputs.put(input.getKey(), value);
    }
    StepTask next =
        StepTask.newBuilder(task)
            .setStepKey(chained.getStepKey())
            .setOpName(chained.getOpName())
            .setAttempt(1)
            .setInputsJson(inputs)
            .setIssuedAt(Instant.now())
            .setChain(List.copyOf(task.getChain().subList(1, task.getChain().size())))
            .build();
    try {
      JobDefinition job = definitions.job(next.getJobName());
      OpDefinition<?> op = job.node(next.getStepKey()).op();
      requireOp(next, op);
      return new Running(step.record(), next, job, op, true);
    } catch (UnknownDefinitionException e) {
      return null; // its own task, issued by the coordinator, fails it with the full message
    }
  }

  // The event was built for this attempt alone and is not sent yet: set the field in place.
  private static StepEvent chainedTo(StepEvent terminal, Running next) {
    ((StepSucceeded) terminal.getPayload()).setChainedStepKey(next.task().getStepKey());
    return terminal;
  }

  /**
   * Decides whether the chained step may start, once the success that announced it is written.
   *
   * <p>The success is the attempt's accepted outcome if it reached the log before the coordinator
   * could judge the attempt's lease expired. The coordinator counts a lease from when it reads a
   * StepStarted or heartbeat, so not before the one this worker last had acknowledged was sent: if
   * the success was acknowledged within half a lease of that send, the coordinator accepts it and
   * with it the chained start, and no other attempt of this step (hence no other chained start of
   * the next step) can exist. Otherwise the next step is not started here: the coordinator, which
   * recorded it as running on this worker, ends its attempt as lost one lease later and its retry
   * policy decides, as for a worker that died.
   *
   * <p>A chained step is announced by the success that started it: the coordinator counts its lease
   * from reading that success. So that success's send is the chained step's first renewal, and a
   * chained step that ends within the started delay, having sent no StepStarted, may still start
   * the step after it.
   *
   * @param successSentAt when the success announcing {@code next} was sent, by {@link
   *     System#nanoTime()}
   */
  private boolean chainHolds(
      Running step, Running next, CompletableFuture<Void> acknowledged, long successSentAt) {
    long halfLease = TimeUnit.MILLISECONDS.toNanos(step.task().getLeaseMillis()) / 2;
    try {
      acknowledged.get(halfLease, TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      warnChainBroken(step, next, "its success was not written within half a lease");
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      warnChainBroken(step, next, "the worker is shutting down");
      return false;
    }
    // Read after the acknowledgement: the StepStarted or heartbeat acknowledged last was sent then.
    long lastRenewal = step.leaseRenewed().get();
    if (lastRenewal == NO_RENEWAL || System.nanoTime() - lastRenewal > halfLease) {
      warnChainBroken(step, next, "its success was not written within half a lease");
      return false;
    }
    renewed(next, successSentAt);
    recent.firstStart(attemptOf(next.task()));
    sendStartedUnlessDelayed(next);
    return true;
  }

  private static void warnChainBroken(Running step, Running next, String why) {
    LOG.warn(
        "Not starting chained step {} of run {} after step {}: {}; the coordinator will end its"
            + " attempt 1 as lost",
        next.task().getStepKey(),
        next.task().getRunId(),
        step.task().getStepKey(),
        why);
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

  // The latest acknowledged renewal wins; acknowledgements of one partition arrive in order anyway.
  private static void renewed(Running step, long sentAt) {
    step.leaseRenewed()
        .accumulateAndGet(
            sentAt, (last, sent) -> last == NO_RENEWAL || sent - last > 0 ? sent : last);
  }

  /** Sends a step's StepStarted; once acknowledged, the step's lease counts from its send. */
  private void publishStarted(Running step) {
    long sentAt = System.nanoTime();
    publish(step.task(), startedEvent(step), step.ownRecord(), () -> renewed(step, sentAt));
  }

  /** Sends an event; once acknowledged, {@code done} (if any) may be committed. */
  private void publish(StepTask task, StepEvent event, ConsumerRecord<?, ?> done) {
    publish(task, event, done, () -> {});
  }

  private void publish(
      StepTask task, StepEvent event, ConsumerRecord<?, ?> done, Runnable acknowledged) {
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
            return;
          }
          acknowledged.run();
          if (done != null) {
            markDone(done);
          }
        });
  }

  /** Sends a terminal event; the future completes when it is acknowledged or fails. */
  private CompletableFuture<Void> publishTerminal(
      StepTask task, StepEvent event, ConsumerRecord<?, ?> done) {
    CompletableFuture<Void> acknowledged = new CompletableFuture<>();
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
          if (error == null) {
            acknowledged.complete(null);
          } else {
            acknowledged.completeExceptionally(error);
          }
        });
    return acknowledged;
  }

  private void replaceTooLarge(
      StepTask task, StepEvent event, Exception error, ConsumerRecord<?, ?> done) {
    offProducerThread(
        () -> publishTooLarge(task, event, error, done), describe(task, typeOf(event)), error);
  }

  // Sends that follow from a producer callback run off the producer's I/O thread, where a send
  // could wait for buffer space only that thread frees. If the worker is closing, nothing may be
  // sent any more, and the record in hand must not be passed: stop, naming what was not sent.
  private void offProducerThread(Runnable send, String what, Throwable cause) {
    try {
      heartbeats.execute(send);
    } catch (RejectedExecutionException e) {
      stopOnSendFailure(what, cause);
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

  private void heartbeat(Running step) {
    StepTask task = step.task();
    try {
      StepEvent beat = StepEvents.heartbeat(task, settings.workerId(), Instant.now());
      long sentAt = System.nanoTime();
      publisher.send(
          topics.stepEvents(),
          null,
          task.getRunId(),
          beat,
          eventSerde,
          new RecordHeaders(),
          (metadata, error) -> {
            if (error == null) {
              renewed(step, sentAt);
            }
          });
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
