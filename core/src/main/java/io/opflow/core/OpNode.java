package io.opflow.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One invocation of an op inside a graph: a node name (the step key), where each input comes from,
 * and hooks that apply to this node only. Immutable; every method returns a new node.
 */
public final class OpNode {
  private final String name;
  private final OpDefinition<?> op;
  private final Map<String, InputSource> inputs;
  private final List<HookDefinition> hooks;

  private OpNode(
      String name,
      OpDefinition<?> op,
      Map<String, InputSource> inputs,
      List<HookDefinition> hooks) {
    this.name = name;
    this.op = op;
    this.inputs = inputs;
    this.hooks = hooks;
  }

  /** Returns a node of {@code op} named after it, with no inputs bound and no hooks. */
  public static OpNode of(OpDefinition<?> op) {
    return new OpNode(op.name(), Objects.requireNonNull(op, "op"), Map.of(), List.of());
  }

  /** Returns the node name, which is the step key. */
  public String name() {
    return name;
  }

  /** Returns the op this node invokes. */
  public OpDefinition<?> op() {
    return op;
  }

  /** Returns where each input comes from, by input name. */
  public Map<String, InputSource> inputs() {
    return inputs;
  }

  /** Returns the hooks attached to this node only, in the order given. */
  public List<HookDefinition> hooks() {
    return hooks;
  }

  /** Returns this node under another name. */
  public OpNode alias(String nodeName) {
    return new OpNode(Names.requireValid("node", nodeName), op, inputs, hooks);
  }

  /** Returns this node with more hooks, run after the ones it already has. */
  public OpNode withHooks(HookDefinition... more) {
    List<HookDefinition> all = new ArrayList<>(hooks);
    all.addAll(List.of(more));
    return new OpNode(name, op, inputs, List.copyOf(all));
  }

  /** Returns this node with an input taking the default output of {@code fromNode}. */
  public OpNode input(String inputName, String fromNode) {
    return input(inputName, fromNode, OutputDefinition.DEFAULT_NAME);
  }

  /** Returns this node with an input taking {@code fromOutput} of {@code fromNode}. */
  public OpNode input(String inputName, String fromNode, String fromOutput) {
    Map<String, InputSource> all = new LinkedHashMap<>(inputs);
    all.put(inputName, new InputSource(fromNode, fromOutput));
    return new OpNode(name, op, Collections.unmodifiableMap(all), hooks);
  }

  @Override
  public String toString() {
    return "OpNode[" + name + " -> " + op.name() + "]";
  }
}
