package io.opflow.core.spi;

import io.opflow.core.ErrorInfo;
import io.opflow.core.NextAttempt;
import io.opflow.core.OpDefinition;
import io.opflow.core.execution.StepStatus;
import java.util.Map;

/**
 * The terminal outcome of a step attempt, which its hooks react to.
 *
 * @param identity the step attempt
 * @param op the op
 * @param opConfig the op's bound config, or {@code null} if it could not be bound
 * @param status how the step ended
 * @param exception the op's exception, or {@code null}
 * @param error the op's error as a value, or {@code null}
 * @param outputs the outputs produced
 * @param reason why a skipped step was skipped, or {@code null}
 * @param nextAttempt for a failed attempt put up for retry, the attempt it was put up for (only
 *     retry hooks fire then); {@code null} for an attempt that ends the step
 */
public record StepOutcome(
    StepIdentity identity,
    OpDefinition<?> op,
    Object opConfig,
    StepStatus status,
    Throwable exception,
    ErrorInfo error,
    Map<String, Object> outputs,
    String reason,
    NextAttempt nextAttempt) {

  /** An outcome that ends the step. */
  public StepOutcome(
      StepIdentity identity,
      OpDefinition<?> op,
      Object opConfig,
      StepStatus status,
      Throwable exception,
      ErrorInfo error,
      Map<String, Object> outputs,
      String reason) {
    this(identity, op, opConfig, status, exception, error, outputs, reason, null);
  }

  /** Returns whether this attempt was put up for retry rather than ending the step. */
  public boolean upForRetry() {
    return nextAttempt != null;
  }
}
