package io.opflow.core.internal;

import io.opflow.core.OpContext;
import io.opflow.core.OpDefinition;
import io.opflow.core.OutputDefinition;
import io.opflow.core.Resources;
import io.opflow.core.spi.StepIdentity;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The op context of one step attempt; records outputs as they are emitted. */
public final class DefaultOpContext<C> implements OpContext<C> {
  private final StepIdentity identity;
  private final OpDefinition<C> op;
  private final C config;
  private final Map<String, Object> inputs;
  private final Resources resources;
  private final Map<String, Object> outputs = Collections.synchronizedMap(new LinkedHashMap<>());

  /** Creates the context of one attempt. */
  public DefaultOpContext(
      StepIdentity identity,
      OpDefinition<C> op,
      C config,
      Map<String, Object> inputs,
      Resources resources) {
    this.identity = identity;
    this.op = op;
    this.config = config;
    this.inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    this.resources = resources;
  }

  @Override
  public String jobName() {
    return identity.jobName();
  }

  @Override
  public String runId() {
    return identity.runId();
  }

  @Override
  public String stepKey() {
    return identity.stepKey();
  }

  @Override
  public int attempt() {
    return identity.attempt();
  }

  @Override
  public C config() {
    return config;
  }

  @Override
  public <T> T input(String name, Class<T> type) {
    if (!inputs.containsKey(name)) {
      throw new IllegalArgumentException(
          "op '" + op.name() + "' has no input '" + name + "'; its inputs: " + inputs.keySet());
    }
    Object value = inputs.get(name);
    return value == null ? null : type.cast(Types.boxed(type).cast(value));
  }

  @Override
  public Map<String, Object> inputs() {
    return inputs;
  }

  @Override
  public <T> T resource(String key, Class<T> type) {
    return resources.get(key, type);
  }

  @Override
  public void output(String name, Object value) {
    OutputDefinition output =
        op.output(name)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "op '"
                            + op.name()
                            + "' declares no output '"
                            + name
                            + "'; its outputs: "
                            + op.outputs().stream().map(OutputDefinition::name).toList()));
    if (value == null) {
      throw new IllegalArgumentException(
          "op '"
              + op.name()
              + "' output '"
              + name
              + "' must not be null; leave an optional output"
              + " unproduced instead");
    }
    if (!Types.boxed(output.type()).isInstance(value)) {
      throw new IllegalArgumentException(
          "op '"
              + op.name()
              + "' output '"
              + name
              + "' must be a "
              + output.type().getName()
              + ", got a "
              + value.getClass().getName());
    }
    outputs.put(name, value);
  }

  @Override
  public Logger log() {
    return LoggerFactory.getLogger("opflow.op." + op.name());
  }

  /** Returns the outputs emitted so far. */
  public Map<String, Object> outputs() {
    synchronized (outputs) {
      return Map.copyOf(outputs);
    }
  }
}
