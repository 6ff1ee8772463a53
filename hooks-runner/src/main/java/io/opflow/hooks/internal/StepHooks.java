package io.opflow.hooks.internal;

import io.opflow.core.ErrorInfo;
import io.opflow.core.HookContext;
import io.opflow.core.HookDefinition;
import io.opflow.core.RunStatusContext;
import io.opflow.core.execution.HookOutcome;
import io.opflow.core.execution.HookResult;
import io.opflow.core.execution.RunStatus;
import io.opflow.core.spi.HookExecution;
import io.opflow.core.spi.StepOutcome;
import io.opflow.events.HookCompleted;
import io.opflow.events.HookErrored;
import io.opflow.events.HookEvent;
import io.opflow.events.HookKind;
import io.opflow.events.HookSkipped;
import io.opflow.events.StepEvent;
import io.opflow.runtime.DeadLetters;
import io.opflow.runtime.ErrorRecords;
import io.opflow.runtime.spi.EventPublisher;
import io.opflow.schemas.AvroEventSerde;
import io.opflow.schemas.EventHeaders;
import io.opflow.schemas.OpflowSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Fires the hooks of one terminal step event, in declared order, through core's {@link
 * HookExecution}, skipping those the ledger says already fired. Each hook's key goes into the
 * ledger as soon as the hook ran, and its hook event is sent without waiting: the caller's {@link
 * RecordAcks} learns when the broker has it. Shared by every lane; holds no per-run state.
 *
 * <p>A hook whose retry policy asks for another try records the try as a hook event with the next
 * try's time, and the lane moves on: the try is scheduled on the lane's thread when due, holding
 * the record unsettled (its offset is not committed) until the call's last try is written. A call
 * whose tries are used up goes to the dead-letter topic with the step event it fired for. When the
 * lane goes, a waiting try is given up: the partition's next owner reads the record again and
 * continues from the tries the ledger has.
 */
final class StepHooks {
  private final HookExecution execution;
  private final EventPublisher publisher;
  private final String hookEventsTopic;
  private final HooksMetrics metrics;
  private final DeadLetters deadLetters;
  private final LaterTries laterTries;
  private final AvroEventSerde<HookEvent> serde = OpflowSerdes.hookEvents();

  StepHooks(
      HookExecution execution,
      EventPublisher publisher,
      String hookEventsTopic,
      HooksMetrics metrics,
      DeadLetters deadLetters,
      LaterTries laterTries) {
    this.execution = execution;
    this.publisher = publisher;
    this.hookEventsTopic = hookEventsTopic;
    this.metrics = metrics;
    this.deadLetters = deadLetters;
    this.laterTries = laterTries;
  }

  /**
   * A terminal step event whose hooks are due.
   *
   * @param record the step event as read
   * @param event the event
   * @param partition the hook-events partition to write to, or null to partition by key
   * @param hooks the step's hooks in declared order
   * @param outcome what the hooks see
   * @param resources returns the run's resource under a key, building it on first use
   */
  record Firing(
      ConsumerRecord<byte[], byte[]> record,
      StepEvent event,
      Integer partition,
      List<HookDefinition> hooks,
      StepOutcome outcome,
      Function<String, Object> resources) {
    long offset() {
      return record.offset();
    }
  }

  /**
   * Fires each hook not yet in the ledger and sends its hook event, stopping before the next hook
   * once the lane is closing. A hook to be tried again later is scheduled on the lane, and built
   * afresh by {@code again} when due.
   *
   * @return true when every hook was handled, false when it stopped early
   */
  boolean fire(
      Firing firing,
      HookLedger ledger,
      RecordAcks acks,
      PartitionLane lane,
      Supplier<Firing> again) {
    Call call = new Call(ledger, acks, lane, again);
    for (HookDefinition hook : firing.hooks()) {
      if (lane.closing()) {
        return false;
      }
      fireOne(firing, hook, call);
    }
    return true;
  }

  // Where a hook call's tries report to, and how a later try finds its way back to the lane.
  private record Call(
      HookLedger ledger, RecordAcks acks, PartitionLane lane, Supplier<Firing> again) {}

  private void fireOne(Firing firing, HookDefinition hook, Call call) {
    String key = key(firing.event(), hook);
    if (call.ledger().hasFired(key)) {
      return;
    }
    HookLedger.Pending pending = call.ledger().pending(key);
    if (pending == null) {
      metrics.dispatched(Duration.between(firing.event().getTimestamp(), Instant.now()));
      tryNow(firing, hook, 1, call);
      return;
    }
    // Read again (a restart, or a rebalance): go on from the ledger's tries, when the next is due.
    Duration wait = Duration.between(Instant.now(), pending.nextTryAt());
    if (wait.isNegative() || wait.isZero()) {
      tryNow(firing, hook, pending.tries() + 1, call);
    } else {
      schedule(hook, pending.tries() + 1, wait, call);
    }
  }

  private void tryNow(Firing firing, HookDefinition hook, int tryNumber, Call call) {
    StepEvent event = firing.event();
    String key = key(event, hook);
    Instant start = Instant.now();
    HookExecution.Try done =
        execution.tryOnce(firing.outcome(), hook, firing.resources(), tryNumber, 1);
    Duration took = Duration.between(start, Instant.now());
    HookResult result = done.result();
    if (done.last()) {
      // Recorded before the hook event is acknowledged, so a later record of this lane (the same
      // event read twice) cannot fire it again. A crash before the hook event is written runs the
      // hook once more on the next owner: that is what the idempotency key is for.
      call.ledger().recordFired(key, attemptKey(event), firing.offset());
      metrics.hook(
          event.getJobName(), hook.name(), result.outcome().name().toLowerCase(Locale.ROOT));
      send(firing, hookEvent(event, hook, key, result, took, tryNumber, null), call.acks());
      if (result.outcome() == HookOutcome.ERRORED && hook.retryPolicy().maxRetries() > 0) {
        deadLetters.sendHookCall(
            firing.record(),
            hook.name(),
            key,
            tryNumber,
            describe(result.error()),
            call.acks().expect());
      }
      return;
    }
    Instant nextTryAt = Instant.now().plus(done.nextTryIn());
    call.ledger().recordTry(key, attemptKey(event), firing.offset(), tryNumber, nextTryAt);
    metrics.hook(event.getJobName(), hook.name(), "retrying");
    send(firing, hookEvent(event, hook, key, result, took, tryNumber, nextTryAt), call.acks());
    schedule(hook, tryNumber + 1, done.nextTryIn(), call);
  }

  private void schedule(HookDefinition hook, int tryNumber, Duration delay, Call call) {
    laterTries.schedule(
        call.lane(), call.acks(), delay, () -> tryNow(call.again().get(), hook, tryNumber, call));
  }

  /**
   * A run status sensor's call for a run.
   *
   * @param runId the run
   * @param sensorName the sensor
   * @param status how the run ended
   * @param error what the sensor threw, or null
   * @param took how long it ran
   * @param tryNumber which try this was, 1 for the first
   * @param nextTryAt when the next try is due, or null when this was the call's last
   */
  record SensorCall(
      String runId,
      String sensorName,
      RunStatus status,
      Exception error,
      Duration took,
      int tryNumber,
      Instant nextTryAt) {}

  /**
   * Records a sensor's call as a hook event marked {@code runSensor}, in the same ledger as hooks,
   * with the run event's offset; {@code acknowledged} hears how it went.
   */
  void recordSensorCall(SensorCall call, long offset, Integer partition, Callback acknowledged) {
    HookEvent hookEvent =
        sensorEvent(call, RunStatusContext.idempotencyKey(call.runId(), call.sensorName()), 1);
    send(call.runId(), offset, partition, hookEvent, acknowledged);
  }

  /**
   * Returns the hook event recording a sensor's try under {@code key}, of {@code generation} (1 for
   * the original call, 2 and up for a call fired again by a replay).
   */
  static HookEvent sensorEvent(SensorCall call, String key, int generation) {
    Object payload =
        call.error() == null
            ? new HookCompleted(call.took().toMillis())
            : new HookErrored(
                ErrorRecords.toAvro(HookErrors.bounded(ErrorInfo.from(call.error(), false))));
    return HookEvent.newBuilder()
        .setRunId(call.runId())
        .setStepKey("")
        .setAttempt(0)
        .setHookName(call.sensorName())
        .setHookKind(call.status() == RunStatus.SUCCEEDED ? HookKind.SUCCESS : HookKind.FAILURE)
        .setIdempotencyKey(key)
        .setTimestamp(Instant.now())
        .setRunSensor(true)
        .setTryNumber(call.tryNumber())
        .setNextTryAt(call.nextTryAt())
        .setGeneration(generation)
        .setPayload(payload)
        .build();
  }

  private static String key(StepEvent event, HookDefinition hook) {
    return HookContext.idempotencyKey(
        event.getRunId(), event.getStepKey(), event.getAttempt(), hook.name());
  }

  private void send(Firing firing, HookEvent hookEvent, RecordAcks acks) {
    send(firing.event(), firing.offset(), firing.partition(), hookEvent, acks.expect());
  }

  private void send(
      StepEvent source,
      long offset,
      Integer partition,
      HookEvent hookEvent,
      Callback acknowledged) {
    send(source.getRunId(), offset, partition, hookEvent, acknowledged);
  }

  // Written to the given partition with the source offset, from which the ledger is rebuilt.
  private void send(
      String runId, long offset, Integer partition, HookEvent hookEvent, Callback acknowledged) {
    RecordHeaders headers = new RecordHeaders();
    EventHeaders.set(headers, EventHeaders.HOOK_SOURCE_OFFSET, Long.toString(offset));
    try {
      publisher.send(hookEventsTopic, partition, runId, hookEvent, serde, headers, acknowledged);
    } catch (RuntimeException e) {
      acknowledged.onCompletion(null, e);
    }
  }

  /**
   * Records that an attempt was discarded (put up for retry) and no hook of the step fires for it:
   * for each of the step's hooks not in the ledger, a hook event that says it was skipped for that
   * attempt, and why. Nothing runs. The hook events carry the source offset like any other, so a
   * runner that restarts rebuilds its claim on the attempt from them, and a late result of the
   * discarded attempt fires nothing. (A step with retry hooks is fired instead: its other hooks are
   * recorded as skipped the same way.)
   *
   * @param event the up-for-retry event
   * @param offset its offset in its step-events partition
   * @param partition the hook-events partition to write to, or null to partition by key
   * @param hooks the step's hooks in declared order
   */
  void recordDiscarded(
      StepEvent event,
      long offset,
      Integer partition,
      List<HookDefinition> hooks,
      HookLedger ledger,
      RecordAcks acks) {
    String reason =
        "attempt "
            + event.getAttempt()
            + " was put up for retry; hooks fire for the attempt that ends the step";
    for (HookDefinition hook : hooks) {
      String key = key(event, hook);
      if (!ledger.hasFired(key)) {
        ledger.recordFired(key, attemptKey(event), offset);
        HookResult skipped =
            new HookResult(
                event.getStepKey(),
                event.getAttempt(),
                hook.name(),
                hook.kind(),
                HookOutcome.SKIPPED,
                reason,
                null);
        HookEvent hookEvent = hookEvent(event, hook, key, skipped, Duration.ZERO, 1, null);
        send(event, offset, partition, hookEvent, acks.expect());
      }
    }
  }

  static String attemptKey(StepEvent event) {
    return HookLedger.attemptKey(event.getRunId(), event.getStepKey(), event.getAttempt());
  }

  private static HookEvent hookEvent(
      StepEvent event,
      HookDefinition hook,
      String key,
      HookResult result,
      Duration took,
      int tryNumber,
      Instant nextTryAt) {
    return hookEvent(event, hook, key, result, took, tryNumber, nextTryAt, 1);
  }

  /**
   * Builds the hook event of one try of a hook call, for the hooks-runner and for replays: a retry
   * hook reports the attempt's outcome, FAILURE, as its kind, for readers of v1.
   */
  static HookEvent hookEvent(
      StepEvent event,
      HookDefinition hook,
      String key,
      HookResult result,
      Duration took,
      int tryNumber,
      Instant nextTryAt,
      int generation) {
    Object payload =
        switch (result.outcome()) {
          case COMPLETED -> new HookCompleted(took.toMillis());
          case SKIPPED -> new HookSkipped(result.reason());
          case ERRORED -> new HookErrored(ErrorRecords.toAvro(HookErrors.bounded(result.error())));
        };
    return HookEvent.newBuilder()
        .setRunId(event.getRunId())
        .setStepKey(event.getStepKey())
        .setAttempt(event.getAttempt())
        .setHookName(hook.name())
        .setHookKind(hook.firesForRetry() ? HookKind.FAILURE : HookKind.valueOf(hook.kind().name()))
        .setRetryHook(hook.firesForRetry())
        .setIdempotencyKey(key)
        .setTimestamp(Instant.now())
        .setTryNumber(tryNumber)
        .setNextTryAt(nextTryAt)
        .setGeneration(generation)
        .setPayload(payload)
        .build();
  }

  /** How a dead letter names a hook call's last error. */
  static String describe(ErrorInfo error) {
    return error == null ? "unknown" : error.type() + ": " + error.message();
  }
}
