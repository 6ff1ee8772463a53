package io.opflow.hooks.internal;

import io.opflow.core.HookContext;
import io.opflow.core.RunStatusContext;
import io.opflow.events.HookCompleted;
import io.opflow.events.HookEvent;
import io.opflow.events.HookSkipped;
import java.time.Instant;

/**
 * What {@code hook-events} says about one logical hook call, all generations of its key together:
 * the highest generation, and how that generation's call stands after its last hook event read.
 */
final class CallHistory {
  /** How the latest generation of a call stands. */
  enum State {
    COMPLETED,
    SKIPPED,
    /** Its last try errored and none follows. */
    ERRORED,
    /** Its last hook event is an errored try with another try due. */
    TRYING
  }

  private final String runId;
  private final String stepKey;
  private final int attempt;
  private final String hookName;
  private final Instant firstSeen;
  private int highestGeneration;
  private State latest;

  private CallHistory(HookEvent first) {
    this.runId = first.getRunId();
    this.stepKey = first.getStepKey();
    this.attempt = first.getAttempt();
    this.hookName = first.getHookName();
    this.firstSeen = first.getTimestamp();
  }

  /**
   * Returns the base key of a hook event's call: its idempotency key without a generation ({@code
   * runId/sensor/<name>} for a run status sensor's call).
   */
  static String baseKey(HookEvent event) {
    if (event.getRunSensor()) {
      return RunStatusContext.idempotencyKey(event.getRunId(), event.getHookName());
    }
    return HookContext.idempotencyKey(
        event.getRunId(), event.getStepKey(), event.getAttempt(), event.getHookName());
  }

  /** Starts the history of a call with its first hook event read. */
  static CallHistory of(HookEvent first) {
    CallHistory history = new CallHistory(first);
    history.add(first);
    return history;
  }

  /**
   * Adds a later hook event of the call; events of one call share a partition, so come in order.
   */
  void add(HookEvent event) {
    int generation = Math.max(1, event.getGeneration());
    if (generation < highestGeneration) {
      return;
    }
    highestGeneration = generation;
    latest = stateOf(event);
  }

  private static State stateOf(HookEvent event) {
    Object payload = event.getPayload();
    if (payload instanceof HookCompleted) {
      return State.COMPLETED;
    }
    if (payload instanceof HookSkipped) {
      return State.SKIPPED;
    }
    return event.getNextTryAt() == null ? State.ERRORED : State.TRYING;
  }

  String runId() {
    return runId;
  }

  String stepKey() {
    return stepKey;
  }

  int attempt() {
    return attempt;
  }

  String hookName() {
    return hookName;
  }

  /** Returns when the call's first hook event read was written. */
  Instant firstSeen() {
    return firstSeen;
  }

  int highestGeneration() {
    return highestGeneration;
  }

  /** Returns how the highest generation stands. */
  State latest() {
    return latest;
  }

  String attemptKey() {
    return HookLedger.attemptKey(runId, stepKey, attempt);
  }
}
