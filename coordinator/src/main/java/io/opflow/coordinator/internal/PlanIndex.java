package io.opflow.coordinator.internal;

import io.opflow.core.RetryPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@link RunPlan} compiled for scheduling: steps by key, each step's upstream and successors, and
 * its retry policy. Built once per run and cached in memory, so an event touches only the steps
 * around the one it concerns.
 */
final class PlanIndex {
  private final RunPlan plan;
  private final Map<String, StepSpec> specs = new LinkedHashMap<>();
  private final Map<String, Set<String>> upstream = new LinkedHashMap<>();
  private final Map<String, List<String>> successors = new LinkedHashMap<>();
  private final Map<String, RetryPolicy> retryPolicies = new LinkedHashMap<>();
  private final long runConfigBytes;

  private PlanIndex(RunPlan plan) {
    this.plan = plan;
    this.runConfigBytes = Limits.sizeOf(plan.runConfigJson());
    for (StepSpec spec : plan.steps()) {
      specs.put(spec.stepKey(), spec);
      successors.put(spec.stepKey(), new ArrayList<>());
      retryPolicies.put(spec.stepKey(), spec.retry().toPolicy());
    }
    for (StepSpec spec : plan.steps()) {
      Set<String> from = new TreeSet<>();
      spec.inputs().values().forEach(binding -> from.add(binding.step()));
      upstream.put(spec.stepKey(), Collections.unmodifiableSet(from));
      from.forEach(step -> successors.get(step).add(spec.stepKey()));
    }
  }

  static PlanIndex of(RunPlan plan) {
    return new PlanIndex(plan);
  }

  RunPlan plan() {
    return plan;
  }

  String runId() {
    return plan.runId();
  }

  String jobName() {
    return plan.jobName();
  }

  /** Returns the size of the run config, which every task of the run carries; counted once. */
  long runConfigBytes() {
    return runConfigBytes;
  }

  boolean contains(String stepKey) {
    return specs.containsKey(stepKey);
  }

  /** Returns every step key, in dependency order. */
  Collection<String> stepKeys() {
    return Collections.unmodifiableSet(specs.keySet());
  }

  StepSpec spec(String stepKey) {
    return specs.get(stepKey);
  }

  String opName(String stepKey) {
    return specs.get(stepKey).opName();
  }

  Set<String> upstream(String stepKey) {
    return upstream.get(stepKey);
  }

  List<String> successors(String stepKey) {
    return Collections.unmodifiableList(successors.get(stepKey));
  }

  RetryPolicy retryPolicy(String stepKey) {
    return retryPolicies.get(stepKey);
  }

  /**
   * Returns the linear segment after a step, for worker-side chaining: its only successor if that
   * successor reads from this step alone, then that one's, and so on, at most {@code max} steps.
   * Each step of the segment reads only the outputs of the step before it.
   */
  List<StepSpec> chainAfter(String stepKey, int max) {
    List<StepSpec> chain = new ArrayList<>();
    String current = stepKey;
    while (chain.size() < max) {
      List<String> next = successors.get(current);
      if (next.size() != 1 || upstream.get(next.get(0)).size() != 1) {
        break;
      }
      current = next.get(0);
      chain.add(specs.get(current));
    }
    return chain;
  }

  /** Returns the steps that read no input, which start with the run. */
  List<String> roots() {
    return specs.keySet().stream().filter(key -> upstream.get(key).isEmpty()).toList();
  }
}
