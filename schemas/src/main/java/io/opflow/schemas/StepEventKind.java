package io.opflow.schemas;

import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepHeartbeat;
import io.opflow.events.StepSkipped;
import io.opflow.events.StepStarted;
import io.opflow.events.StepSucceeded;
import io.opflow.events.StepUpForRetry;
import java.util.Optional;

/**
 * The kinds of step event, and the one rule every reader of {@code step-events} applies to them.
 *
 * <p><b>Which event ends an attempt.</b> For each attempt {@code (runId, stepKey, attempt)}, the
 * first event in partition order whose kind {@linkplain #endsAttempt() ends the attempt} is its
 * outcome, whoever wrote it (the worker, or the coordinator's lost-worker or not-started verdict);
 * every later event of that attempt is stale and changes nothing.
 *
 * <p><b>Which attempt ends the step.</b> An attempt whose outcome {@linkplain #endsStep() ends the
 * step} (succeeded, failed, skipped) is the step's last; an outcome of {@link #UP_FOR_RETRY} ends
 * only the attempt, and the next attempt follows. So the coordinator schedules, and the
 * hooks-runner fires success, failure and skip hooks, for exactly the same attempt: a discarded
 * attempt (one whose outcome was up-for-retry, or any late result after it) fires nothing.
 */
public enum StepEventKind {
  /** A worker started the attempt. */
  STARTED(false, false),
  /** The worker is still running the attempt. */
  HEARTBEAT(false, false),
  /** The attempt succeeded: ends the attempt and the step. */
  SUCCEEDED(true, true),
  /** The attempt failed for good: ends the attempt and the step. */
  FAILED(true, true),
  /** The step was not run: ends it. */
  SKIPPED(true, true),
  /** The attempt failed and another follows: ends the attempt only. */
  UP_FOR_RETRY(true, false);

  private final boolean endsAttempt;
  private final boolean endsStep;

  StepEventKind(boolean endsAttempt, boolean endsStep) {
    this.endsAttempt = endsAttempt;
    this.endsStep = endsStep;
  }

  /**
   * Returns whether an event of this kind, if it is the first such of its attempt, is the attempt's
   * outcome.
   *
   * @return true for succeeded, failed, skipped and up-for-retry
   */
  public boolean endsAttempt() {
    return endsAttempt;
  }

  /**
   * Returns whether an attempt with this outcome is the step's last.
   *
   * @return true for succeeded, failed and skipped
   */
  public boolean endsStep() {
    return endsStep;
  }

  /**
   * Returns the kind of a step event.
   *
   * @param event the event
   * @return its kind
   * @throws IllegalArgumentException for a payload this version does not know
   */
  public static StepEventKind of(StepEvent event) {
    Object payload = event.getPayload();
    if (payload instanceof StepSucceeded) {
      return SUCCEEDED;
    } else if (payload instanceof StepFailed) {
      return FAILED;
    } else if (payload instanceof StepSkipped) {
      return SKIPPED;
    } else if (payload instanceof StepUpForRetry) {
      return UP_FOR_RETRY;
    } else if (payload instanceof StepStarted) {
      return STARTED;
    } else if (payload instanceof StepHeartbeat) {
      return HEARTBEAT;
    }
    throw new IllegalArgumentException("unknown step event payload: " + payload);
  }

  /**
   * Returns the kind named by a record's {@link EventHeaders#EVENT_TYPE} header, so a reader can
   * decide before decoding.
   *
   * @param eventType the header's value, such as {@code StepSucceeded}
   * @return the kind, or empty for another event type
   */
  public static Optional<StepEventKind> ofEventType(String eventType) {
    return Optional.ofNullable(
        switch (eventType) {
          case "StepStarted" -> STARTED;
          case "StepHeartbeat" -> HEARTBEAT;
          case "StepSucceeded" -> SUCCEEDED;
          case "StepFailed" -> FAILED;
          case "StepSkipped" -> SKIPPED;
          case "StepUpForRetry" -> UP_FOR_RETRY;
          default -> null;
        });
  }
}
