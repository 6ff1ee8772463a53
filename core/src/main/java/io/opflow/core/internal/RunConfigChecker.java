package io.opflow.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpNode;
import io.opflow.core.ResourceDefinition;
import io.opflow.core.config.ConfigProblem;
import io.opflow.core.config.InvalidRunConfigException;
import io.opflow.core.config.RunConfig;
import io.opflow.core.internal.config.ConfigValidator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Checks a run config against a job: its sections, node and resource keys, and each config. */
public final class RunConfigChecker {
  private static final Set<String> SECTIONS = Set.of("ops", "resources");

  private RunConfigChecker() {}

  /**
   * Checks the config.
   *
   * @throws InvalidRunConfigException listing every problem with its path
   */
  public static void check(JobDefinition job, RunConfig config) {
    List<ConfigProblem> problems = new ArrayList<>();
    checkSections(config.tree(), problems);
    checkOps(job, config, problems);
    checkResources(job, config, problems);
    if (!problems.isEmpty()) {
      throw new InvalidRunConfigException(problems);
    }
  }

  private static void checkSections(JsonNode tree, List<ConfigProblem> problems) {
    for (Iterator<String> it = tree.fieldNames(); it.hasNext(); ) {
      String section = it.next();
      if (!SECTIONS.contains(section)) {
        problems.add(new ConfigProblem(section, "unknown section; expected ops or resources"));
      } else if (!tree.get(section).isObject() && !tree.get(section).isNull()) {
        problems.add(new ConfigProblem(section, "expected an object keyed by name"));
      }
    }
  }

  private static void checkOps(JobDefinition job, RunConfig config, List<ConfigProblem> problems) {
    for (String node : config.opNodes()) {
      if (job.nodes().stream().noneMatch(n -> n.name().equals(node))) {
        problems.add(
            new ConfigProblem(
                "ops." + node,
                "job '"
                    + job.name()
                    + "' has no node '"
                    + node
                    + "'; its nodes: "
                    + String.join(", ", job.nodes().stream().map(OpNode::name).toList())));
      } else {
        checkKeys(
            "ops." + node,
            config.tree().path("ops").path(node),
            Set.of("config", "timeout"),
            problems);
      }
    }
    for (OpNode node : job.nodes()) {
      problems.addAll(
          ConfigValidator.validate(
              "ops." + node.name() + ".config",
              node.op().configType(),
              config.opConfig(node.name())));
    }
  }

  private static void checkResources(
      JobDefinition job, RunConfig config, List<ConfigProblem> problems) {
    Map<String, ResourceDefinition<?, ?>> resources = job.resources();
    for (String key : config.resourceKeys()) {
      if (!resources.containsKey(key)) {
        problems.add(
            new ConfigProblem(
                "resources." + key,
                "job '"
                    + job.name()
                    + "' has no resource '"
                    + key
                    + "'; its resources: "
                    + (resources.isEmpty() ? "(none)" : String.join(", ", resources.keySet()))));
      } else {
        checkKeys(
            "resources." + key,
            config.tree().path("resources").path(key),
            Set.of("config"),
            problems);
      }
    }
    resources.forEach(
        (key, resource) ->
            problems.addAll(
                ConfigValidator.validate(
                    "resources." + key + ".config",
                    resource.configType(),
                    config.resourceConfig(key))));
  }

  private static void checkKeys(
      String path, JsonNode entry, Set<String> allowed, List<ConfigProblem> problems) {
    if (!entry.isObject()) {
      problems.add(new ConfigProblem(path, "expected an object with a config key"));
      return;
    }
    for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        problems.add(
            new ConfigProblem(
                path + "." + key,
                "unknown key; expected " + String.join(" or ", new TreeSet<>(allowed))));
      }
    }
  }
}
