package io.opflow.core.execution;

import io.opflow.core.ErrorInfo;
import io.opflow.core.HookKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One thing that happened in a run, of the same kinds the distributed runtime publishes to Kafka:
 * run, step and hook events. {@link #type()} is the name used in the {@code opflow.event-type}
 * record header.
 */
public sealed interface ExecutionEvent {
  /** Returns the run id. */
  String runId();

  /** Returns when the event happened. */
  Instant timestamp();

  /** Returns the event type name, for example {@code StepSucceeded}. */
  default String type() {
    return getClass().getSimpleName();
  }

  /** The run began. */
  record RunStarted(String runId, String jobName, Instant timestamp) implements ExecutionEvent {}

  /** Every step ended and none failed. */
  record RunSucceeded(String runId, String jobName, Instant timestamp, Duration duration)
      implements ExecutionEvent {}

  /** The run ended with failed steps. */
  record RunFailed(
      String runId, String jobName, Instant timestamp, List<String> failedSteps, String message)
      implements ExecutionEvent {}

  /** The run was canceled. */
  record RunCanceled(String runId, String jobName, Instant timestamp, String reason)
      implements ExecutionEvent {}

  /** A step attempt began. */
  record StepStarted(String runId, String stepKey, int attempt, Instant timestamp)
      implements ExecutionEvent {}

  /** A step attempt succeeded with outputs. */
  record StepSucceeded(
      String runId,
      String stepKey,
      int attempt,
      Instant timestamp,
      Map<String, Object> outputs,
      Duration duration)
      implements ExecutionEvent {}

  /** A step attempt failed and will be tried again after a delay. */
  record StepUpForRetry(
      String runId,
      String stepKey,
      int attempt,
      Instant timestamp,
      ErrorInfo error,
      int nextAttempt,
      Duration delay)
      implements ExecutionEvent {}

  /** A step failed for the last time; {@code outputs} holds what it produced before failing. */
  record StepFailed(
      String runId,
      String stepKey,
      int attempt,
      Instant timestamp,
      ErrorInfo error,
      Map<String, Object> outputs,
      Duration duration)
      implements ExecutionEvent {}

  /** A step never ran. */
  record StepSkipped(String runId, String stepKey, Instant timestamp, String reason)
      implements ExecutionEvent {}

  /** A hook ran and returned normally. */
  record HookCompleted(
      String runId,
      String stepKey,
      int attempt,
      String hookName,
      HookKind kind,
      Instant timestamp,
      Duration duration)
      implements ExecutionEvent {}

  /** A hook did not apply to the step's outcome. */
  record HookSkipped(
      String runId,
      String stepKey,
      int attempt,
      String hookName,
      HookKind kind,
      Instant timestamp,
      String reason)
      implements ExecutionEvent {}

  /** A hook threw or timed out. */
  record HookErrored(
      String runId,
      String stepKey,
      int attempt,
      String hookName,
      HookKind kind,
      Instant timestamp,
      ErrorInfo error)
      implements ExecutionEvent {}
}
