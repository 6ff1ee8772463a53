package io.opflow.core.internal;

import io.opflow.core.DefinitionException;
import io.opflow.core.HookDefinition;
import io.opflow.core.OpNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Checks that a job provides every resource its ops and hooks require, and hook names. */
public final class JobValidator {
  private JobValidator() {}

  /**
   * Checks resource keys and hook names.
   *
   * @throws DefinitionException naming every op or hook whose resource is missing, and every hook
   *     name shared by two different hooks
   */
  public static void checkResourcesAndHooks(
      String subject, List<OpNode> nodes, List<HookDefinition> jobHooks, Set<String> provided) {
    List<String> problems = new ArrayList<>();
    for (OpNode node : nodes) {
      for (String key : new TreeSet<>(node.op().requiredResourceKeys())) {
        if (!provided.contains(key)) {
          problems.add(
              missing("op '" + node.op().name() + "' (node '" + node.name() + "')", key, provided));
        }
      }
    }
    Map<String, HookDefinition> hooksByName = new HashMap<>();
    List<HookDefinition> allHooks = new ArrayList<>(jobHooks);
    nodes.forEach(node -> allHooks.addAll(node.hooks()));
    for (HookDefinition hook : allHooks) {
      HookDefinition previous = hooksByName.putIfAbsent(hook.name(), hook);
      if (previous == null) {
        hook.requiredResourceKeys().stream()
            .sorted()
            .filter(key -> !provided.contains(key))
            .forEach(key -> problems.add(missing("hook '" + hook.name() + "'", key, provided)));
      } else if (previous != hook) {
        problems.add(
            "two different hooks are named '"
                + hook.name()
                + "': hook names must be unique in a job");
      }
    }
    if (!problems.isEmpty()) {
      throw new DefinitionException(subject, problems);
    }
  }

  private static String missing(String who, String key, Set<String> provided) {
    return who
        + " requires resource '"
        + key
        + "', which the job does not provide; provided: "
        + (provided.isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(provided)));
  }
}
