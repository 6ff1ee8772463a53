package io.opflow.core;

import io.opflow.core.config.RunConfig;
import io.opflow.core.internal.GraphValidator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ops wired by data dependencies. Nodes are kept in dependency order. Checked when built: a cycle,
 * an unconnected input, an unknown upstream node or output, mismatched types and duplicate node
 * names are errors that name the culprit.
 *
 * <pre>{@code
 * GraphDefinition graph = GraphDefinition.builder("etl")
 *     .add(extract)
 *     .add(transform.input("rows", "extract"))
 *     .add(load.input("rows", "transform"))
 *     .build();
 * JobDefinition prod = graph.toJob("etl_prod", List.of(slackOnFailure), Map.of("slack", slack));
 * }</pre>
 */
public final class GraphDefinition {
  private final String name;
  private final List<OpNode> nodes;

  private GraphDefinition(String name, List<OpNode> nodes) {
    this.name = name;
    this.nodes = List.copyOf(nodes);
  }

  /** Starts a graph. */
  public static Builder builder(String name) {
    return new Builder(Names.requireValid("graph", name));
  }

  /** Returns the graph name. */
  public String name() {
    return name;
  }

  /** Returns the nodes in dependency order: every node comes after the nodes it reads from. */
  public List<OpNode> nodes() {
    return nodes;
  }

  /** Returns the node of this name, if any. */
  public Optional<OpNode> node(String nodeName) {
    return nodes.stream().filter(node -> node.name().equals(nodeName)).findFirst();
  }

  /** Returns a job of this graph with no hooks, resources or default config. */
  public JobDefinition toJob(String jobName) {
    return jobBuilder(jobName).build();
  }

  /** Returns a job of this graph with hooks on every op and the given resources. */
  public JobDefinition toJob(
      String jobName,
      Collection<HookDefinition> hooks,
      Map<String, ? extends ResourceDefinition<?, ?>> resources) {
    return toJob(jobName, hooks, resources, RunConfig.empty());
  }

  /**
   * Returns a job of this graph with hooks on every op, the given resources and a default run
   * config that a run's own config overrides.
   */
  public JobDefinition toJob(
      String jobName,
      Collection<HookDefinition> hooks,
      Map<String, ? extends ResourceDefinition<?, ?>> resources,
      RunConfig defaultConfig) {
    return jobBuilder(jobName)
        .hooks(hooks)
        .resources(resources)
        .defaultConfig(defaultConfig)
        .build();
  }

  /** Returns a job builder preloaded with this graph's nodes. */
  public JobDefinition.Builder jobBuilder(String jobName) {
    JobDefinition.Builder builder = JobDefinition.builder(jobName);
    nodes.forEach(builder::add);
    return builder;
  }

  @Override
  public String toString() {
    return "GraphDefinition[" + name + ", nodes=" + nodes.stream().map(OpNode::name).toList() + "]";
  }

  /** Builds a {@link GraphDefinition}. */
  public static final class Builder {
    private final String name;
    private final List<OpNode> nodes = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    /** Adds a node named after the op. */
    public Builder add(OpDefinition<?> op) {
      return add(op.node());
    }

    /** Adds a node. */
    public Builder add(OpNode node) {
      nodes.add(node);
      return this;
    }

    /**
     * Checks the graph and returns it.
     *
     * @throws DefinitionException listing every problem
     */
    public GraphDefinition build() {
      return new GraphDefinition(
          name, GraphValidator.validateAndSort("graph '" + name + "'", nodes));
    }
  }
}
