package io.opflow.coordinator.internal;

import io.opflow.core.ErrorInfo;
import java.util.Map;

/**
 * A step event the coordinator read from {@code step-events}, as the coordinator's own type: the
 * attempt it is about and what happened to it, with only the fields the coordinator uses. Built by
 * {@link CoordinatorInputs}, the one place that reads the wire records; {@link StepEventCommand}
 * applies it.
 */
sealed interface StepInput extends CoordinatorInput
    permits StepInput.Heartbeat,
        StepInput.Started,
        StepInput.Succeeded,
        StepInput.Failed,
        StepInput.UpForRetry,
        StepInput.Skipped {

  /** Returns the run id. */
  String runId();

  /** Returns the step key. */
  String stepKey();

  /** Returns the attempt the event is about. */
  int attempt();

  /** Returns the name of the step's op. */
  String opName();

  /** Returns whether the event ends its attempt as a worker's result or a verdict would. */
  default boolean isResult() {
    return false;
  }

  /** Hands this event to the handler's method for its kind. */
  void applyTo(Handler handler);

  @Override
  default void routeTo(Router router) {
    router.onStepEvent(this);
  }

  /** What is done with each kind of step event. */
  interface Handler {
    void onHeartbeat(Heartbeat beat);

    void onStarted(Started started);

    void onSucceeded(Succeeded succeeded);

    void onFailed(Failed failed);

    void onUpForRetry(UpForRetry retry);

    void onSkipped(Skipped skipped);
  }

  /**
   * The worker is still running the attempt.
   *
   * @param runId the run id
   * @param stepKey the step key
   * @param attempt the attempt
   * @param opName the op
   * @param workerId the worker running it
   * @param leaseMillis the lease length the worker states: its lease end minus the event's time,
   *     both on the worker's clock, never negative
   */
  record Heartbeat(
      String runId, String stepKey, int attempt, String opName, String workerId, long leaseMillis)
      implements StepInput {
    @Override
    public void applyTo(Handler handler) {
      handler.onHeartbeat(this);
    }
  }

  /**
   * A worker started the attempt.
   *
   * @param runId the run id
   * @param stepKey the step key
   * @param attempt the attempt
   * @param opName the op
   * @param workerId the worker running it
   * @param leaseMillis the lease length the worker states, as for a {@link Heartbeat}
   */
  record Started(
      String runId, String stepKey, int attempt, String opName, String workerId, long leaseMillis)
      implements StepInput {
    @Override
    public void applyTo(Handler handler) {
      handler.onStarted(this);
    }
  }

  /**
   * The attempt succeeded.
   *
   * @param runId the run id
   * @param stepKey the step key
   * @param attempt the attempt
   * @param opName the op
   * @param outputs output name to its value as JSON, the wire record's map itself (not copied)
   * @param chainedStepKey the next step of the task's chain, which the same worker started as its
   *     attempt 1, or null
   */
  record Succeeded(
      String runId,
      String stepKey,
      int attempt,
      String opName,
      Map<String, String> outputs,
      String chainedStepKey)
      implements StepInput {
    @Override
    public boolean isResult() {
      return true;
    }

    @Override
    public void applyTo(Handler handler) {
      handler.onSucceeded(this);
    }
  }

  /**
   * The attempt failed, and the step with it.
   *
   * @param runId the run id
   * @param stepKey the step key
   * @param attempt the attempt
   * @param opName the op
   * @param error the error
   */
  record Failed(String runId, String stepKey, int attempt, String opName, ErrorInfo error)
      implements StepInput {
    @Override
    public boolean isResult() {
      return true;
    }

    @Override
    public void applyTo(Handler handler) {
      handler.onFailed(this);
    }
  }

  /**
   * The attempt failed and the worker's retry policy asks for another.
   *
   * @param runId the run id
   * @param stepKey the step key
   * @param attempt the attempt
   * @param opName the op
   * @param retryAt when the next attempt is due, epoch millis
   * @param error the error
   */
  record UpForRetry(
      String runId, String stepKey, int attempt, String opName, long retryAt, ErrorInfo error)
      implements StepInput {
    @Override
    public boolean isResult() {
      return true;
    }

    @Override
    public void applyTo(Handler handler) {
      handler.onUpForRetry(this);
    }
  }

  /**
   * The step was skipped: the coordinator's own output, read back.
   *
   * @param runId the run id
   * @param stepKey the step key
   * @param attempt the attempt
   * @param opName the op
   */
  record Skipped(String runId, String stepKey, int attempt, String opName) implements StepInput {
    @Override
    public void applyTo(Handler handler) {
      handler.onSkipped(this);
    }
  }
}
