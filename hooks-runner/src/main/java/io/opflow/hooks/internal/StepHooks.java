package io.opflow.hooks.internal;

import io.opflow.core.HookContext;
import io.opflow.core.HookDefinition;
import io.opflow.core.execution.HookOutcome;
import io.opflow.core.execution.HookResult;
import io.opflow.core.internal.HookExecution;
import io.opflow.core.internal.StepOutcome;
import io.opflow.events.HookCompleted;
import io.opflow.events.HookErrored;
import io.opflow.events.HookEvent;
import io.opflow.events.HookKind;
import io.opflow.events.HookSkipped;
import io.opflow.events.StepEvent;
import io.opflow.runtime.Errors;
import io.opflow.runtime.internal.EventPublisher;
import io.opflow.schemas.AvroEventSerde;
import io.opflow.schemas.EventHeaders;
import io.opflow.schemas.OpflowSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Fires the hooks of one terminal step event, in declared order, through core's {@link
 * HookExecution}, skipping those the ledger says already fired. Each hook's key goes into the
 * ledger as soon as the hook ran, and its hook event is sent without waiting: the caller's {@link
 * RecordAcks} learns when the broker has it. Shared by every lane; holds no per-run state.
 */
final class StepHooks {
  private final HookExecution execution;
  private final EventPublisher publisher;
  private final String hookEventsTopic;
  private final HooksMetrics metrics;
  private final AvroEventSerde<HookEvent> serde = OpflowSerdes.hookEvents();

  StepHooks(
      HookExecution execution,
      EventPublisher publisher,
      String hookEventsTopic,
      HooksMetrics metrics) {
    this.execution = execution;
    this.publisher = publisher;
    this.hookEventsTopic = hookEventsTopic;
    this.metrics = metrics;
  }

  /**
   * A terminal step event whose hooks are due.
   *
   * @param event the event
   * @param offset its offset in its step-events partition
   * @param partition the hook-events partition to write to, or null to partition by key
   * @param hooks the step's hooks in declared order
   * @param outcome what the hooks see
   * @param resources returns the run's resource under a key, building it on first use
   */
  record Firing(
      StepEvent event,
      long offset,
      Integer partition,
      List<HookDefinition> hooks,
      StepOutcome outcome,
      Function<String, Object> resources) {}

  /**
   * Fires each hook not yet in the ledger and sends its hook event, stopping before the next hook
   * once {@code stopping} says so.
   *
   * @return true when every hook was handled, false when it stopped early
   */
  boolean fire(Firing firing, HookLedger ledger, RecordAcks acks, BooleanSupplier stopping) {
    for (HookDefinition hook : firing.hooks()) {
      if (stopping.getAsBoolean()) {
        return false;
      }
      fireOne(firing, hook, ledger, acks);
    }
    return true;
  }

  private void fireOne(Firing firing, HookDefinition hook, HookLedger ledger, RecordAcks acks) {
    StepEvent event = firing.event();
    String key =
        HookContext.idempotencyKey(
            event.getRunId(), event.getStepKey(), event.getAttempt(), hook.name());
    if (ledger.hasFired(key)) {
      return;
    }
    Instant start = Instant.now();
    metrics.dispatched(Duration.between(event.getTimestamp(), start));
    HookResult result = execution.runOne(firing.outcome(), hook, firing.resources());
    // Recorded before the hook event is acknowledged, so a later record of this lane (the same
    // event read twice) cannot fire it again. A crash before the hook event is written runs the
    // hook once more on the next owner: that is what the idempotency key is for.
    ledger.recordFired(key, attemptKey(event), firing.offset());
    metrics.hook(event.getJobName(), hook.name(), result.outcome().name().toLowerCase(Locale.ROOT));
    HookEvent hookEvent =
        hookEvent(event, hook, key, result, Duration.between(start, Instant.now()));
    send(event, firing.offset(), firing.partition(), hookEvent, acks.expect());
  }

  // Written to the given partition with the source offset, from which the ledger is rebuilt.
  private void send(
      StepEvent source,
      long offset,
      Integer partition,
      HookEvent hookEvent,
      Callback acknowledged) {
    RecordHeaders headers = new RecordHeaders();
    EventHeaders.set(headers, HookEventsHeaders.SOURCE_OFFSET, Long.toString(offset));
    try {
      publisher.send(
          hookEventsTopic, partition, source.getRunId(), hookEvent, serde, headers, acknowledged);
    } catch (RuntimeException e) {
      acknowledged.onCompletion(null, e);
    }
  }

  /**
   * Records that an attempt was discarded (put up for retry): for each of the step's hooks not in
   * the ledger, a hook event that says it was skipped for that attempt, and why. Nothing runs. The
   * hook events carry the source offset like any other, so a runner that restarts rebuilds its
   * claim on the attempt from them, and a late result of the discarded attempt fires nothing.
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
      String key =
          HookContext.idempotencyKey(
              event.getRunId(), event.getStepKey(), event.getAttempt(), hook.name());
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
        HookEvent hookEvent = hookEvent(event, hook, key, skipped, Duration.ZERO);
        send(event, offset, partition, hookEvent, acks.expect());
      }
    }
  }

  static String attemptKey(StepEvent event) {
    return HookLedger.attemptKey(event.getRunId(), event.getStepKey(), event.getAttempt());
  }

  private static HookEvent hookEvent(
      StepEvent event, HookDefinition hook, String key, HookResult result, Duration took) {
    Object payload =
        switch (result.outcome()) {
          case COMPLETED -> new HookCompleted(took.toMillis());
          case SKIPPED -> new HookSkipped(result.reason());
          case ERRORED -> new HookErrored(Errors.toAvro(HookErrors.bounded(result.error())));
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
        .setPayload(payload)
        .build();
  }
}
