package io.opflow.core.internal;

import io.opflow.core.DefinitionException;
import io.opflow.core.InputDefinition;
import io.opflow.core.InputSource;
import io.opflow.core.OpNode;
import io.opflow.core.OutputDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Checks a set of nodes forms a valid graph and sorts it in dependency order. */
public final class GraphValidator {
  private GraphValidator() {}

  /**
   * Returns the nodes in dependency order.
   *
   * @throws DefinitionException naming every duplicate, unconnected input, unknown source, type
   *     mismatch and cycle
   */
  public static List<OpNode> validateAndSort(String subject, List<OpNode> nodes) {
    List<String> problems = new ArrayList<>();
    Map<String, OpNode> byName = indexByName(nodes, problems);
    byName.values().forEach(node -> checkInputs(node, byName, problems));
    if (problems.isEmpty()) {
      return sortOrReportCycle(subject, byName, problems);
    }
    throw new DefinitionException(subject, problems);
  }

  private static Map<String, OpNode> indexByName(List<OpNode> nodes, List<String> problems) {
    Map<String, OpNode> byName = new LinkedHashMap<>();
    for (OpNode node : nodes) {
      if (byName.putIfAbsent(node.name(), node) != null) {
        problems.add(
            "duplicate node name '"
                + node.name()
                + "': give one of the nodes another name with op.alias(\"...\")");
      }
    }
    return byName;
  }

  private static void checkInputs(OpNode node, Map<String, OpNode> byName, List<String> problems) {
    for (InputDefinition input : node.op().inputs()) {
      if (!node.inputs().containsKey(input.name())) {
        problems.add(
            String.format(
                "node '%s': input '%s' is not connected; connect it with .input(\"%s\", \"<node>\")",
                node.name(), input.name(), input.name()));
      }
    }
    node.inputs()
        .forEach((inputName, source) -> checkSource(node, inputName, source, byName, problems));
  }

  private static void checkSource(
      OpNode node,
      String inputName,
      InputSource source,
      Map<String, OpNode> byName,
      List<String> problems) {
    Optional<InputDefinition> input = node.op().input(inputName);
    String prefix = "node '" + node.name() + "': ";
    if (input.isEmpty()) {
      problems.add(
          prefix
              + "op '"
              + node.op().name()
              + "' has no input '"
              + inputName
              + "'; declared inputs: "
              + names(node.op().inputs().stream().map(InputDefinition::name).toList()));
      return;
    }
    OpNode upstream = byName.get(source.node());
    if (upstream == null) {
      problems.add(
          prefix + "input '" + inputName + "' comes from unknown node '" + source.node() + "'");
      return;
    }
    Optional<OutputDefinition> output = upstream.op().output(source.output());
    if (output.isEmpty()) {
      problems.add(
          prefix
              + "input '"
              + inputName
              + "' comes from '"
              + source
              + "', but op '"
              + upstream.op().name()
              + "' declares no output '"
              + source.output()
              + "'; its outputs: "
              + names(upstream.op().outputs().stream().map(OutputDefinition::name).toList()));
      return;
    }
    if (!Types.boxed(input.get().type()).isAssignableFrom(Types.boxed(output.get().type()))) {
      problems.add(
          prefix
              + "input '"
              + inputName
              + "' expects "
              + input.get().type().getSimpleName()
              + " but '"
              + source
              + "' is "
              + output.get().type().getSimpleName());
    }
  }

  private static List<OpNode> sortOrReportCycle(
      String subject, Map<String, OpNode> byName, List<String> problems) {
    List<OpNode> sorted = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    Set<String> visiting = new LinkedHashSet<>();
    for (OpNode node : byName.values()) {
      visit(node, byName, done, visiting, sorted, problems);
    }
    if (!problems.isEmpty()) {
      throw new DefinitionException(subject, problems);
    }
    return sorted;
  }

  private static void visit(
      OpNode node,
      Map<String, OpNode> byName,
      Set<String> done,
      Set<String> visiting,
      List<OpNode> sorted,
      List<String> problems) {
    if (done.contains(node.name()) || !problems.isEmpty()) {
      return;
    }
    if (!visiting.add(node.name())) {
      List<String> path = new ArrayList<>(visiting);
      path = path.subList(path.indexOf(node.name()), path.size());
      problems.add("cycle: " + String.join(" -> ", path) + " -> " + node.name());
      return;
    }
    for (InputSource source : node.inputs().values()) {
      visit(byName.get(source.node()), byName, done, visiting, sorted, problems);
    }
    visiting.remove(node.name());
    done.add(node.name());
    sorted.add(node);
  }

  private static String names(List<String> names) {
    return names.isEmpty() ? "(none)" : String.join(", ", names);
  }
}
