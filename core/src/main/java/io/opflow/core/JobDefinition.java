package io.opflow.core;

import io.opflow.core.config.InvalidRunConfigException;
import io.opflow.core.config.RunConfig;
import io.opflow.core.execution.ExecuteOptions;
import io.opflow.core.execution.ExecutionResult;
import io.opflow.core.execution.InProcessExecutor;
import io.opflow.core.internal.GraphValidator;
import io.opflow.core.internal.JobValidator;
import io.opflow.core.internal.RunConfigChecker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A graph of ops bound to resources, hooks and default config: what users run. Checked when built;
 * see {@link GraphDefinition} for the graph checks. In addition every resource key an op or hook
 * requires must be provided, and two different hooks may not share a name.
 *
 * <p>Hooks run in a defined order for each step: the job's hooks in the order given, then the
 * node's own hooks in the order given. A hook attached more than once to the same step runs once,
 * at its first position.
 */
public final class JobDefinition {
  private final String name;
  private final List<OpNode> nodes;
  private final Map<String, OpNode> nodesByName;
  private final List<HookDefinition> hooks;
  private final Map<String, ResourceDefinition<?, ?>> resources;
  private final RunConfig defaultConfig;
  private final Map<String, String> tags;

  private JobDefinition(Builder builder, List<OpNode> sortedNodes) {
    this.name = builder.name;
    this.nodes = List.copyOf(sortedNodes);
    this.nodesByName = new LinkedHashMap<>();
    nodes.forEach(node -> nodesByName.put(node.name(), node));
    this.hooks = List.copyOf(builder.hooks);
    this.resources = Map.copyOf(builder.resources);
    this.defaultConfig = builder.defaultConfig;
    this.tags = Map.copyOf(builder.tags);
  }

  /** Starts a job. */
  public static Builder builder(String name) {
    return new Builder(Names.requireValid("job", name));
  }

  /** Returns the job name. */
  public String name() {
    return name;
  }

  /** Returns the nodes in dependency order. */
  public List<OpNode> nodes() {
    return nodes;
  }

  /**
   * Returns the node of this name.
   *
   * @throws UnknownDefinitionException naming the job's nodes if there is none
   */
  public OpNode node(String stepKey) {
    OpNode node = nodesByName.get(stepKey);
    if (node == null) {
      throw new UnknownDefinitionException(
          "job '"
              + name
              + "' has no node '"
              + stepKey
              + "'; its nodes: "
              + String.join(", ", nodesByName.keySet()));
    }
    return node;
  }

  /** Returns the hooks that apply to every op, in order. */
  public List<HookDefinition> hooks() {
    return hooks;
  }

  /** Returns the hooks that fire for a step, in the order they run, each once. */
  public List<HookDefinition> hooksFor(String stepKey) {
    Set<HookDefinition> ordered = new LinkedHashSet<>(hooks);
    ordered.addAll(node(stepKey).hooks());
    return List.copyOf(ordered);
  }

  /** Returns the resources by key. */
  public Map<String, ResourceDefinition<?, ?>> resources() {
    return resources;
  }

  /** Returns the default run config, which a run's own config overrides. */
  public RunConfig defaultConfig() {
    return defaultConfig;
  }

  /** Returns the tags. */
  public Map<String, String> tags() {
    return tags;
  }

  /**
   * Merges a run's config over the job's defaults and checks it: unknown nodes and resources, and
   * each op's and resource's config against its type. {@code {env: NAME}} references are checked
   * for shape but not resolved.
   *
   * @return the merged config
   * @throws InvalidRunConfigException listing every problem with its path
   */
  public RunConfig validate(RunConfig runConfig) {
    RunConfig merged = runConfig.withDefaults(defaultConfig);
    RunConfigChecker.check(this, merged);
    return merged;
  }

  /** Runs the job in this process with an empty run config. */
  public ExecutionResult executeInProcess() {
    return executeInProcess(RunConfig.empty());
  }

  /** Runs the job in this process; a failed run is a result, not an exception. */
  public ExecutionResult executeInProcess(RunConfig runConfig) {
    return executeInProcess(runConfig, ExecuteOptions.defaults());
  }

  /** Runs the job in this process with options (run id, concurrency, raise on failure). */
  public ExecutionResult executeInProcess(RunConfig runConfig, ExecuteOptions options) {
    return new InProcessExecutor(options).execute(this, runConfig);
  }

  @Override
  public String toString() {
    return "JobDefinition[" + name + "]";
  }

  /** Builds a {@link JobDefinition}. */
  public static final class Builder {
    private final String name;
    private final List<OpNode> nodes = new ArrayList<>();
    private final List<HookDefinition> hooks = new ArrayList<>();
    private final Map<String, ResourceDefinition<?, ?>> resources = new LinkedHashMap<>();
    private RunConfig defaultConfig = RunConfig.empty();
    private final Map<String, String> tags = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = name;
    }

    /** Adds a node named after the op. */
    public Builder add(OpDefinition<?> op) {
      return add(op.node());
    }

    /** Adds a node. */
    public Builder add(OpNode node) {
      nodes.add(Objects.requireNonNull(node, "node"));
      return this;
    }

    /** Adds hooks that apply to every op of the job. */
    public Builder hooks(HookDefinition... more) {
      return hooks(List.of(more));
    }

    /** Adds hooks that apply to every op of the job. */
    public Builder hooks(Collection<HookDefinition> more) {
      hooks.addAll(more);
      return this;
    }

    /** Provides a resource under a key. */
    public Builder resource(String key, ResourceDefinition<?, ?> resource) {
      resources.put(Names.requireValid("resource", key), Objects.requireNonNull(resource));
      return this;
    }

    /** Provides resources by key. */
    public Builder resources(Map<String, ? extends ResourceDefinition<?, ?>> more) {
      more.forEach(this::resource);
      return this;
    }

    /** Sets the default run config. */
    public Builder defaultConfig(RunConfig config) {
      this.defaultConfig = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Adds a tag. */
    public Builder tag(String key, String value) {
      tags.put(key, value);
      return this;
    }

    /**
     * Checks the job and returns it.
     *
     * @throws DefinitionException listing every problem
     */
    public JobDefinition build() {
      String subject = "job '" + name + "'";
      List<OpNode> sorted = GraphValidator.validateAndSort(subject, nodes);
      JobValidator.checkResourcesAndHooks(subject, sorted, hooks, resources.keySet());
      return new JobDefinition(this, sorted);
    }
  }
}
