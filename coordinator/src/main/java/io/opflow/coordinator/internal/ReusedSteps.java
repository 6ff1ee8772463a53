package io.opflow.coordinator.internal;

import io.opflow.coordinator.internal.CoordinatorInput.RunRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps a re-execution takes from its parent run instead of running them: each with the outputs
 * its successful attempt produced there. Empty for a new run.
 *
 * @param parentRunId the run re-executed, or null for a new run
 * @param outputs step key to the outputs (as JSON) it produced in the parent run, in request order
 */
record ReusedSteps(String parentRunId, Map<String, Map<String, String>> outputs) {

  ReusedSteps {
    outputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
  }

  /** Reads the reused steps of a run request. */
  static ReusedSteps of(RunRequest request) {
    RunRequest.Reexecution reexecution = request.reexecution();
    if (reexecution == null) {
      return new ReusedSteps(null, Map.of());
    }
    Map<String, Map<String, String>> outputs = new LinkedHashMap<>();
    for (RunRequest.Reused step : reexecution.reusedSteps()) {
      outputs.put(step.stepKey(), Map.copyOf(step.outputs()));
    }
    return new ReusedSteps(reexecution.parentRunId(), outputs);
  }

  boolean contains(String stepKey) {
    return outputs.containsKey(stepKey);
  }

  List<String> stepKeys() {
    return List.copyOf(outputs.keySet());
  }

  /**
   * Returns what makes these reused steps unusable for the run's steps: a step key the job does not
   * have, a key reused twice, or a reused step that reads from a step that runs again (its inputs
   * would come from two different runs).
   */
  static List<String> problems(RunRequest request, List<StepSpec> steps) {
    RunRequest.Reexecution reexecution = request.reexecution();
    if (reexecution == null) {
      return List.of();
    }
    Map<String, StepSpec> byKey = new LinkedHashMap<>();
    steps.forEach(step -> byKey.put(step.stepKey(), step));
    List<String> problems = new ArrayList<>();
    Map<String, Boolean> reused = new LinkedHashMap<>();
    for (RunRequest.Reused step : reexecution.reusedSteps()) {
      if (!byKey.containsKey(step.stepKey())) {
        problems.add("the re-execution reuses step '" + step.stepKey() + "', not in the job");
      } else if (reused.put(step.stepKey(), true) != null) {
        problems.add("the re-execution reuses step '" + step.stepKey() + "' twice");
      }
    }
    for (String stepKey : reused.keySet()) {
      for (StepSpec.Binding input : byKey.get(stepKey).inputs().values()) {
        if (!reused.containsKey(input.step())) {
          problems.add(
              "the re-execution reuses step '"
                  + stepKey
                  + "' but runs its upstream step '"
                  + input.step()
                  + "' again; reuse the upstream step too, or run both again");
        }
      }
    }
    return problems;
  }
}
