package io.opflow.core.testing;

import io.opflow.core.OpDefinition;
import io.opflow.core.config.NoConfig;
import io.opflow.core.internal.DefaultOpContext;
import io.opflow.core.internal.RestrictedResources;
import io.opflow.core.spi.StepIdentity;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds an op context for a test and invokes an op with it. */
public final class OpContextBuilder {
  private String jobName = "test_job";
  private String runId = "test-run";
  private String stepKey;
  private int attempt = 1;
  private Object config;
  private final Map<String, Object> inputs = new LinkedHashMap<>();
  private final Map<String, Object> resources = new LinkedHashMap<>();

  OpContextBuilder() {}

  /** Sets the job name. */
  public OpContextBuilder jobName(String name) {
    this.jobName = name;
    return this;
  }

  /** Sets the run id. */
  public OpContextBuilder runId(String id) {
    this.runId = id;
    return this;
  }

  /** Sets the step key; by default the op name. */
  public OpContextBuilder stepKey(String key) {
    this.stepKey = key;
    return this;
  }

  /** Sets the attempt. */
  public OpContextBuilder attempt(int number) {
    this.attempt = number;
    return this;
  }

  /** Sets the op config; required when the op has a config type. */
  public OpContextBuilder config(Object value) {
    this.config = value;
    return this;
  }

  /** Sets an input value. */
  public OpContextBuilder input(String name, Object value) {
    inputs.put(name, value);
    return this;
  }

  /** Adds a resource; the op sees it only if it requires the key. */
  public OpContextBuilder resource(String key, Object resource) {
    resources.put(key, resource);
    return this;
  }

  /** Invokes the op with this context and returns every output it produced. */
  public Map<String, Object> invoke(OpDefinition<?> op) throws Exception {
    return invokeTyped(op);
  }

  private <C> Map<String, Object> invokeTyped(OpDefinition<C> op) throws Exception {
    DefaultOpContext<C> context = build(op);
    op.invoke(context);
    return context.outputs();
  }

  private <C> DefaultOpContext<C> build(OpDefinition<C> op) {
    C typedConfig =
        op.configType()
            .cast(config == null && op.configType() == NoConfig.class ? NoConfig.INSTANCE : config);
    if (typedConfig == null) {
      throw new IllegalArgumentException(
          "op '"
              + op.name()
              + "' takes a "
              + op.configType().getSimpleName()
              + " config; set it with .config(...)");
    }
    return new DefaultOpContext<>(
        new StepIdentity(jobName, runId, stepKey == null ? op.name() : stepKey, attempt),
        op,
        typedConfig,
        inputs,
        new RestrictedResources(
            "op '" + op.name() + "'", op.requiredResourceKeys(), resources::get));
  }
}
