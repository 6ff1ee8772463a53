package io.opflow.coordinator.internal;

import io.opflow.core.ErrorInfo;
import io.opflow.core.RetryPolicy;
import io.opflow.events.StepEvent;

/**
 * Builds the coordinator's verdict on an attempt that will never report (its worker stopped
 * heartbeating, or no worker started it): {@code StepUpForRetry} when the step's retry policy
 * retries the error type and allows another attempt, else a final {@code StepFailed}. A verdict is
 * published to {@code step-events} and applied only when read back, like a worker's result.
 */
final class Verdicts {
  private Verdicts() {}

  static StepEvent attemptLost(
      PlanIndex plan,
      String stepKey,
      int attempt,
      String errorType,
      String message,
      long ranMillis,
      long now) {
    RetryPolicy policy = plan.retryPolicy(stepKey);
    boolean retry = policy.isRetriableTypeName(errorType) && policy.allowsAnotherAttempt(attempt);
    ErrorInfo error = CoordinatorRecords.error(errorType, message, retry);
    if (retry) {
      long retryAt = now + policy.delayBeforeRetry(attempt).toMillis();
      return CoordinatorRecords.upForRetry(plan, stepKey, attempt, error, retryAt, now);
    }
    return CoordinatorRecords.failed(plan, stepKey, attempt, error, ranMillis, now);
  }
}
