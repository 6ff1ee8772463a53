package io.opflow.coordinator.internal;

import io.opflow.core.plan.ExecutionPlan;
import io.opflow.protocol.InputBinding;
import io.opflow.protocol.JobSnapshot;
import io.opflow.protocol.NodeSnapshot;
import io.opflow.protocol.RetryPolicySnapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a job snapshot and turns it into step specs in dependency order: unique step keys, every
 * upstream step known, no cycle, valid names and retry policies.
 */
final class SnapshotPlanner {

  /**
   * The outcome: steps in dependency order, or the problems that make the snapshot unusable.
   *
   * @param steps the steps, empty when there are problems
   * @param problems what is wrong, empty when the snapshot is usable
   */
  record Result(List<StepSpec> steps, List<String> problems) {
    boolean valid() {
      return problems.isEmpty();
    }
  }

  private SnapshotPlanner() {}

  static Result plan(JobSnapshot job) {
    List<String> problems = new ArrayList<>();
    Map<String, NodeSnapshot> nodes = indexNodes(job, problems);
    checkUpstream(nodes, problems);
    if (!problems.isEmpty()) {
      return invalid(problems);
    }
    List<NodeSnapshot> ordered = topologicalOrder(nodes, problems);
    if (!problems.isEmpty()) {
      return invalid(problems);
    }
    return build(ordered);
  }

  private static Map<String, NodeSnapshot> indexNodes(JobSnapshot job, List<String> problems) {
    Map<String, NodeSnapshot> nodes = new LinkedHashMap<>();
    if (job.getNodes().isEmpty()) {
      problems.add("the job snapshot has no nodes");
    }
    for (NodeSnapshot node : job.getNodes()) {
      if (nodes.putIfAbsent(node.getStepKey(), node) != null) {
        problems.add("duplicate step key '" + node.getStepKey() + "'");
      }
    }
    return nodes;
  }

  private static void checkUpstream(Map<String, NodeSnapshot> nodes, List<String> problems) {
    for (NodeSnapshot node : nodes.values()) {
      for (InputBinding binding : node.getUpstream()) {
        if (!nodes.containsKey(binding.getFromStepKey())) {
          problems.add(
              "step '"
                  + node.getStepKey()
                  + "' input '"
                  + binding.getInputName()
                  + "' reads from unknown step '"
                  + binding.getFromStepKey()
                  + "'");
        }
      }
    }
  }

  // Kahn's algorithm, stable: among ready nodes the declared order is kept. Linear in the nodes
  // and edges: each node's successors are listed once, in declared order.
  private static List<NodeSnapshot> topologicalOrder(
      Map<String, NodeSnapshot> nodes, List<String> problems) {
    Map<String, Integer> waiting = new LinkedHashMap<>();
    Map<String, List<String>> successors = new HashMap<>();
    nodes.forEach(
        (key, node) -> {
          List<String> upstream = upstreamKeys(node);
          waiting.put(key, upstream.size());
          upstream.forEach(up -> successors.computeIfAbsent(up, k -> new ArrayList<>()).add(key));
        });
    List<NodeSnapshot> ordered = new ArrayList<>();
    Deque<String> ready = new ArrayDeque<>();
    waiting.forEach((key, count) -> enqueueIfReady(ready, key, count));
    while (!ready.isEmpty()) {
      String key = ready.poll();
      ordered.add(nodes.get(key));
      for (String successor : successors.getOrDefault(key, List.of())) {
        enqueueIfReady(ready, successor, waiting.merge(successor, -1, Integer::sum));
      }
    }
    if (ordered.size() < nodes.size()) {
      List<String> cyclic = new ArrayList<>(nodes.keySet());
      ordered.forEach(node -> cyclic.remove(node.getStepKey()));
      problems.add("the steps " + cyclic + " form a dependency cycle");
    }
    return ordered;
  }

  private static void enqueueIfReady(Deque<String> ready, String key, int count) {
    if (count == 0) {
      ready.add(key);
    }
  }

  private static List<String> upstreamKeys(NodeSnapshot node) {
    return node.getUpstream().stream().map(InputBinding::getFromStepKey).distinct().toList();
  }

  private static Result build(List<NodeSnapshot> ordered) {
    List<StepSpec> specs = ordered.stream().map(SnapshotPlanner::spec).toList();
    try {
      // Validates names and retry policies exactly as the plan will use them.
      ExecutionPlan.of(specs.stream().map(StepSpec::toPlannedStep).toList());
    } catch (IllegalArgumentException e) {
      return invalid(List.of(e.getMessage()));
    }
    return new Result(specs, List.of());
  }

  private static StepSpec spec(NodeSnapshot node) {
    Map<String, StepSpec.Binding> inputs = new LinkedHashMap<>();
    for (InputBinding binding : node.getUpstream()) {
      inputs.put(
          binding.getInputName(),
          new StepSpec.Binding(binding.getFromStepKey(), binding.getFromOutput()));
    }
    return new StepSpec(node.getStepKey(), node.getOpName(), inputs, retry(node.getRetryPolicy()));
  }

  private static StepSpec.Retry retry(RetryPolicySnapshot policy) {
    return new StepSpec.Retry(
        policy.getMaxRetries(),
        policy.getDelayMillis(),
        policy.getBackoffMultiplier(),
        List.copyOf(policy.getRetryOn()));
  }

  private static Result invalid(List<String> problems) {
    return new Result(List.of(), List.copyOf(problems));
  }
}
