package io.opflow.core.plan;

import io.opflow.core.JobDefinition;
import io.opflow.core.OpNode;
import io.opflow.core.UnknownDefinitionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps of a run in dependency order, as both the in-process executor and the coordinator
 * schedule them. Built from a job, or from a job snapshot that crossed Kafka.
 */
public final class ExecutionPlan {
  private final Map<String, PlannedStep> steps;

  private ExecutionPlan(List<PlannedStep> steps) {
    this.steps = new LinkedHashMap<>();
    steps.forEach(step -> this.steps.put(step.stepKey(), step));
  }

  /** Returns the plan of a job. */
  public static ExecutionPlan of(JobDefinition job) {
    List<PlannedStep> steps = new ArrayList<>();
    for (OpNode node : job.nodes()) {
      steps.add(
          new PlannedStep(node.name(), node.op().name(), node.inputs(), node.op().retryPolicy()));
    }
    return new ExecutionPlan(steps);
  }

  /** Returns a plan of steps given in dependency order. */
  public static ExecutionPlan of(List<PlannedStep> steps) {
    return new ExecutionPlan(steps);
  }

  /** Returns the steps in dependency order. */
  public List<PlannedStep> steps() {
    return List.copyOf(steps.values());
  }

  /** Returns whether the plan has a step of this key. */
  public boolean contains(String stepKey) {
    return steps.containsKey(stepKey);
  }

  /**
   * Returns a step.
   *
   * @throws UnknownDefinitionException if the plan has none of this key
   */
  public PlannedStep step(String stepKey) {
    PlannedStep step = steps.get(stepKey);
    if (step == null) {
      throw new UnknownDefinitionException("the plan has no step '" + stepKey + "'");
    }
    return step;
  }
}
