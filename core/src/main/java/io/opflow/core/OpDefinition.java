package io.opflow.core;

import io.opflow.core.config.NoConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A named unit of work: typed inputs and outputs, a config type bound from run config, the resource
 * keys it requires, a retry policy and tags. Immutable; build one with {@link #builder(String)}.
 *
 * <pre>{@code
 * OpDefinition<Thresholds> check = OpDefinition.builder("check")
 *     .config(Thresholds.class)
 *     .input("rows", Integer.class)
 *     .output(Boolean.class)
 *     .requiredResourceKeys("warehouse")
 *     .retryPolicy(RetryPolicy.builder().maxRetries(2).build())
 *     .body(ctx -> ctx.input("rows", Integer.class) > ctx.config().minimum());
 * }</pre>
 *
 * @param <C> the config type, a record; {@link NoConfig} when the op takes none
 */
public final class OpDefinition<C> {
  private final String name;
  private final Class<C> configType;
  private final Map<String, InputDefinition> inputs;
  private final Map<String, OutputDefinition> outputs;
  private final Set<String> requiredResourceKeys;
  private final RetryPolicy retryPolicy;
  private final Duration timeout;
  private final Map<String, String> tags;
  private final OpBody<C> body;
  private final List<String> inputOrder;
  private final List<String> outputOrder;

  private OpDefinition(Builder<C> builder, OpBody<C> body) {
    this.name = builder.name;
    this.configType = builder.configType;
    this.inputs = Map.copyOf(builder.inputs);
    this.outputs = Map.copyOf(builder.outputs);
    this.requiredResourceKeys = Set.copyOf(builder.requiredResourceKeys);
    this.retryPolicy = builder.retryPolicy;
    this.timeout = builder.timeout;
    this.tags = Map.copyOf(builder.tags);
    this.body = Objects.requireNonNull(body, "body");
    this.inputOrder = List.copyOf(builder.inputs.keySet());
    this.outputOrder = List.copyOf(builder.outputs.keySet());
  }

  /** Starts an op named {@code name} that takes no config. */
  public static Builder<NoConfig> builder(String name) {
    return new Builder<>(Names.requireValid("op", name), NoConfig.class);
  }

  /** Returns the op name. */
  public String name() {
    return name;
  }

  /** Returns the config type the op's run config is bound to. */
  public Class<C> configType() {
    return configType;
  }

  /** Returns the inputs in declaration order. */
  public List<InputDefinition> inputs() {
    return inputOrder.stream().map(inputs::get).toList();
  }

  /** Returns the input of this name, if declared. */
  public Optional<InputDefinition> input(String inputName) {
    return Optional.ofNullable(inputs.get(inputName));
  }

  /** Returns the outputs in declaration order. */
  public List<OutputDefinition> outputs() {
    return outputOrder.stream().map(outputs::get).toList();
  }

  /** Returns the output of this name, if declared. */
  public Optional<OutputDefinition> output(String outputName) {
    return Optional.ofNullable(outputs.get(outputName));
  }

  /** Returns the resource keys the op requires; only these are visible to it. */
  public Set<String> requiredResourceKeys() {
    return requiredResourceKeys;
  }

  /** Returns the retry policy. */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /**
   * Returns how long one attempt of this op may run before it is interrupted and ends with a {@link
   * StepTimedOutException}; a run config's {@code ops.<node>.timeout} overrides it.
   *
   * @return the timeout, or empty when attempts may run as long as they take
   */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** Returns the tags. */
  public Map<String, String> tags() {
    return tags;
  }

  /**
   * Runs the op body directly with a context, as in a unit test. Build the context with {@link
   * io.opflow.core.testing.TestContexts#opContext()}.
   *
   * @return the value the body returned
   */
  public Object invoke(OpContext<C> context) throws Exception {
    Object value = body.compute(context);
    if (value != null) {
      context.output(OutputDefinition.DEFAULT_NAME, value);
    }
    return value;
  }

  /** Returns a node of this op under another name, so one op can appear twice in a graph. */
  public OpNode alias(String nodeName) {
    return node().alias(nodeName);
  }

  /** Returns a node of this op with hooks that apply to that node only. */
  public OpNode withHooks(HookDefinition... hooks) {
    return node().withHooks(hooks);
  }

  /** Returns a node of this op whose input takes the default output of {@code fromNode}. */
  public OpNode input(String inputName, String fromNode) {
    return node().input(inputName, fromNode);
  }

  /** Returns a node of this op whose input takes {@code fromOutput} of {@code fromNode}. */
  public OpNode input(String inputName, String fromNode, String fromOutput) {
    return node().input(inputName, fromNode, fromOutput);
  }

  /** Returns this op as a node named after the op. */
  public OpNode node() {
    return OpNode.of(this);
  }

  @Override
  public String toString() {
    return "OpDefinition[" + name + "]";
  }

  /**
   * Builds an {@link OpDefinition}; {@link #body(OpBody)} finishes it. Defaults: no inputs, no
   * outputs, no config, no resources, {@link RetryPolicy#none()}, no timeout, no tags.
   *
   * @param <C> the config type
   */
  public static final class Builder<C> {
    private final String name;
    private final Class<C> configType;
    private final Map<String, InputDefinition> inputs = new LinkedHashMap<>();
    private final Map<String, OutputDefinition> outputs = new LinkedHashMap<>();
    private final Set<String> requiredResourceKeys = new LinkedHashSet<>();
    private RetryPolicy retryPolicy = RetryPolicy.none();
    private Duration timeout;
    private final Map<String, String> tags = new LinkedHashMap<>();

    private Builder(String name, Class<C> configType) {
      this.name = name;
      this.configType = configType;
    }

    /** Sets the config type, a record bound from {@code ops.<node>.config}. */
    public <D> Builder<D> config(Class<D> type) {
      Builder<D> next = new Builder<>(name, Objects.requireNonNull(type, "type"));
      next.inputs.putAll(inputs);
      next.outputs.putAll(outputs);
      next.requiredResourceKeys.addAll(requiredResourceKeys);
      next.retryPolicy = retryPolicy;
      next.timeout = timeout;
      next.tags.putAll(tags);
      return next;
    }

    /** Declares an input. */
    public Builder<C> input(String inputName, Class<?> type) {
      return add(inputs, inputName, new InputDefinition(inputName, type), "input");
    }

    /** Declares the default output, named {@value OutputDefinition#DEFAULT_NAME}. */
    public Builder<C> output(Class<?> type) {
      return output(OutputDefinition.DEFAULT_NAME, type);
    }

    /** Declares a required output. */
    public Builder<C> output(String outputName, Class<?> type) {
      return add(outputs, outputName, new OutputDefinition(outputName, type, false), "output");
    }

    /** Declares an output the op may leave unproduced; downstream nodes are then skipped. */
    public Builder<C> optionalOutput(String outputName, Class<?> type) {
      return add(outputs, outputName, new OutputDefinition(outputName, type, true), "output");
    }

    /** Declares resource keys the op requires. */
    public Builder<C> requiredResourceKeys(String... keys) {
      return requiredResourceKeys(List.of(keys));
    }

    /** Declares resource keys the op requires. */
    public Builder<C> requiredResourceKeys(Collection<String> keys) {
      keys.forEach(key -> requiredResourceKeys.add(Names.requireValid("resource", key)));
      return this;
    }

    /** Sets the retry policy. */
    public Builder<C> retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets how long one attempt may run: past it, the op's thread is interrupted and the attempt
     * ends with a {@link StepTimedOutException}, which the retry policy may retry. The op should
     * stop when interrupted; one that does not keeps its worker slot until it returns, and its
     * worker stops renewing its lease a grace period later.
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Builder<C> timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException(
            "op '" + name + "' timeout must be positive, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** Adds a tag. */
    public Builder<C> tag(String key, String value) {
      tags.put(key, value);
      return this;
    }

    /** Sets the body and returns the finished op. */
    public OpDefinition<C> body(OpBody<C> body) {
      return new OpDefinition<>(this, body);
    }

    private <V> Builder<C> add(Map<String, V> map, String key, V value, String what) {
      if (map.putIfAbsent(key, value) != null) {
        throw new IllegalArgumentException(
            "op '" + name + "' declares " + what + " '" + key + "' twice");
      }
      return this;
    }
  }
}
