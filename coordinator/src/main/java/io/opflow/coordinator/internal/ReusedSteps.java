package io.opflow.coordinator.internal;

import io.opflow.protocol.ReexecutionOf;
import io.opflow.protocol.ReusedStep;
import io.opflow.protocol.RunRequested;
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
  static ReusedSteps of(RunRequested request) {
    ReexecutionOf reexecution = request.getReexecution();
    if (reexecution == null) {
      return new ReusedSteps(null, Map.of());
    }
    Map<String, Map<String, String>> outputs = new LinkedHashMap<>();
    for (ReusedStep step : reexecution.getReusedSteps()) {
      outputs.put(step.getStepKey(), Map.copyOf(step.getOutputsJson()));
    }
    return new ReusedSteps(reexecution.getParentRunId(), outputs);
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
  static List<String> problems(RunRequested request, List<StepSpec> steps) {
    ReexecutionOf reexecution = request.getReexecution();
    if (reexecution == null) {
      return List.of();
    }
    Map<String, StepSpec> byKey = new LinkedHashMap<>();
    steps.forEach(step -> byKey.put(step.stepKey(), step));
    List<String> problems = new ArrayList<>();
    Map<String, Boolean> reused = new LinkedHashMap<>();
    for (ReusedStep step : reexecution.getReusedSteps()) {
      if (!byKey.containsKey(step.getStepKey())) {
        problems.add("the re-execution reuses step '" + step.getStepKey() + "', not in the job");
      } else if (reused.put(step.getStepKey(), true) != null) {
        problems.add("the re-execution reuses step '" + step.getStepKey() + "' twice");
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
