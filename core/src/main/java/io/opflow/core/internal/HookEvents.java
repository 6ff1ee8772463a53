package io.opflow.core.internal;

import io.opflow.core.execution.ExecutionEvent;
import io.opflow.core.execution.HookResult;
import java.time.Duration;
import java.time.Instant;

/** Turns hook results into the events the runtime publishes. */
public final class HookEvents {
  private HookEvents() {}

  /** Returns the event for a hook result; {@code start} is when the hook began. */
  public static ExecutionEvent of(String runId, HookResult result, Instant start) {
    Instant now = Instant.now();
    return switch (result.outcome()) {
      case COMPLETED ->
          new ExecutionEvent.HookCompleted(
              runId,
              result.stepKey(),
              result.attempt(),
              result.hookName(),
              result.kind(),
              now,
              Duration.between(start, now));
      case SKIPPED ->
          new ExecutionEvent.HookSkipped(
              runId,
              result.stepKey(),
              result.attempt(),
              result.hookName(),
              result.kind(),
              now,
              result.reason());
      case ERRORED ->
          new ExecutionEvent.HookErrored(
              runId,
              result.stepKey(),
              result.attempt(),
              result.hookName(),
              result.kind(),
              now,
              result.error());
    };
  }
}
