package io.opflow.core.plan;

import io.opflow.core.lifecycle.StepState;
import java.util.Set;

/**
 * Where one step stands in a run.
 *
 * @param state the lifecycle state
 * @param attempt the current attempt, 0 before the first
 * @param producedOutputs the output names the last successful attempt produced
 */
public record StepProgress(StepState state, int attempt, Set<String> producedOutputs) {
  /** Copies the outputs. */
  public StepProgress {
    producedOutputs = Set.copyOf(producedOutputs);
  }

  static StepProgress pending() {
    return new StepProgress(StepState.PENDING, 0, Set.of());
  }

  StepProgress moveTo(StepState next) {
    return new StepProgress(state.moveTo(next), attempt, producedOutputs);
  }
}
