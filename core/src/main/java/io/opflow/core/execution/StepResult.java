package io.opflow.core.execution;

import io.opflow.core.ErrorInfo;
import java.util.Map;
import java.util.Optional;

/**
 * How one step ended.
 *
 * @param stepKey the step
 * @param status the outcome
 * @param attempts how many attempts ran, 0 for a skipped step
 * @param outputs the outputs produced, also those emitted before a failure
 * @param error the final error of a failed step, or {@code null}
 */
public record StepResult(
    String stepKey, StepStatus status, int attempts, Map<String, Object> outputs, ErrorInfo error) {
  /** Copies the outputs. */
  public StepResult {
    outputs = Map.copyOf(outputs);
  }

  /** Returns the final error of a failed step. */
  public Optional<ErrorInfo> failure() {
    return Optional.ofNullable(error);
  }
}
