package io.opflow.core.execution;

import io.opflow.core.ErrorInfo;
import io.opflow.core.HookKind;
import java.util.Optional;

/**
 * What happened to one hook on one step.
 *
 * @param stepKey the step the hook fired for
 * @param attempt the step attempt
 * @param hookName the hook
 * @param kind success or failure hook
 * @param outcome completed, skipped or errored
 * @param reason why it was skipped, or {@code null}
 * @param error what it threw, or {@code null}
 */
public record HookResult(
    String stepKey,
    int attempt,
    String hookName,
    HookKind kind,
    HookOutcome outcome,
    String reason,
    ErrorInfo error) {
  /** Returns the error of an errored hook. */
  public Optional<ErrorInfo> failure() {
    return Optional.ofNullable(error);
  }
}
