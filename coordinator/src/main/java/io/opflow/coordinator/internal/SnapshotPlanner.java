package io.opflow.coordinator.internal;

import io.opflow.coordinator.internal.CoordinatorInput.RunRequest.Node;
import io.opflow.coordinator.internal.CoordinatorInput.RunRequest.Upstream;
import io.opflow.core.plan.ExecutionPlan;
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

  static Result plan(List<Node> job) {
    List<String> problems = new ArrayList<>();
    Map<String, Node> nodes = indexNodes(job, problems);
    checkUpstream(nodes, problems);
    if (!problems.isEmpty()) {
      return invalid(problems);
    }
    List<Node> ordered = topologicalOrder(nodes, problems);
    if (!problems.isEmpty()) {
      return invalid(problems);
    }
    return build(ordered);
  }

  private static Map<String, Node> indexNodes(List<Node> job, List<String> problems) {
    Map<String, Node> nodes = new LinkedHashMap<>();
    if (job.isEmpty()) {
      problems.add("the job snapshot has no nodes");
    }
    for (Node node : job) {
      if (nodes.putIfAbsent(node.stepKey(), node) != null) {
        problems.add("duplicate step key '" + node.stepKey() + "'");
      }
    }
    return nodes;
  }

  private static void checkUpstream(Map<String, Node> nodes, List<String> problems) {
    for (Node node : nodes.values()) {
      for (Upstream binding : node.upstream()) {
        if (!nodes.containsKey(binding.step())) {
          problems.add(
              "step '"
                  + node.stepKey()
                  + "' input '"
                  + binding.inputName()
                  + "' reads from unknown step '"
                  + binding.step()
                  + "'");
        }
      }
    }
  }

  // Kahn's algorithm, stable: among ready nodes the declared order is kept. Linear in the nodes
  // and edges: each node's successors are listed once, in declared order.
  private static List<Node> topologicalOrder(Map<String, Node> nodes, List<String> problems) {
    Map<String, Integer> waiting = new LinkedHashMap<>();
    Map<String, List<String>> successors = new HashMap<>();
    nodes.forEach(
        (key, node) -> {
          List<String> upstream = upstreamKeys(node);
          waiting.put(key, upstream.size());
          upstream.forEach(up -> successors.computeIfAbsent(up, k -> new ArrayList<>()).add(key));
        });
    List<Node> ordered = new ArrayList<>();
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
      ordered.forEach(node -> cyclic.remove(node.stepKey()));
      problems.add("the steps " + cyclic + " form a dependency cycle");
    }
    return ordered;
  }

  private static void enqueueIfReady(Deque<String> ready, String key, int count) {
    if (count == 0) {
      ready.add(key);
    }
  }

  private static List<String> upstreamKeys(Node node) {
    return node.upstream().stream().map(Upstream::step).distinct().toList();
  }

  private static Result build(List<Node> ordered) {
    List<StepSpec> specs = ordered.stream().map(SnapshotPlanner::spec).toList();
    try {
      // Validates names and retry policies exactly as the plan will use them.
      ExecutionPlan.of(specs.stream().map(StepSpec::toPlannedStep).toList());
    } catch (IllegalArgumentException e) {
      return invalid(List.of(e.getMessage()));
    }
    return new Result(specs, List.of());
  }

  private static StepSpec spec(Node node) {
    Map<String, StepSpec.Binding> inputs = new LinkedHashMap<>();
    for (Upstream binding : node.upstream()) {
      inputs.put(binding.inputName(), new StepSpec.Binding(binding.step(), binding.output()));
    }
    return new StepSpec(node.stepKey(), node.opName(), inputs, node.retry());
  }

  private static Result invalid(List<String> problems) {
    return new Result(List.of(), List.copyOf(problems));
  }
}
