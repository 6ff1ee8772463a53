package io.opflow.core.execution;

import io.opflow.core.OutputDefinition;
import io.opflow.core.UnknownDefinitionException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a run executed in process: its status, each step's outcome and outputs, each
 * hook's outcome, and the ordered events.
 *
 * @param runId the run id
 * @param jobName the job
 * @param status how the run ended
 * @param steps every step's result, in plan order
 * @param hooks every hook's result, in the order they ran
 * @param events everything that happened, in order
 */
public record ExecutionResult(
    String runId,
    String jobName,
    RunStatus status,
    Map<String, StepResult> steps,
    List<HookResult> hooks,
    List<ExecutionEvent> events) {
  /** Copies the collections. */
  public ExecutionResult {
    steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
    hooks = List.copyOf(hooks);
    events = List.copyOf(events);
  }

  /** Returns whether the run succeeded. */
  public boolean success() {
    return status == RunStatus.SUCCEEDED;
  }

  /** Returns a step's result. */
  public StepResult step(String stepKey) {
    StepResult result = steps.get(stepKey);
    if (result == null) {
      throw new UnknownDefinitionException(
          "run "
              + runId
              + " has no step '"
              + stepKey
              + "'; its steps: "
              + String.join(", ", steps.keySet()));
    }
    return result;
  }

  /** Returns a step's default output value. */
  public Object output(String stepKey) {
    return output(stepKey, OutputDefinition.DEFAULT_NAME);
  }

  /** Returns one output value of a step, or {@code null} if it was not produced. */
  public Object output(String stepKey, String outputName) {
    return step(stepKey).outputs().get(outputName);
  }

  /** Returns the results of the hooks that fired for a step, in order. */
  public List<HookResult> hooksFor(String stepKey) {
    return hooks.stream().filter(hook -> hook.stepKey().equals(stepKey)).toList();
  }

  /** Returns the events of one kind, in order. */
  public <E extends ExecutionEvent> List<E> events(Class<E> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
