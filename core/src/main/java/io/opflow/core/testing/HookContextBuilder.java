package io.opflow.core.testing;

import io.opflow.core.ErrorInfo;
import io.opflow.core.HookContext;
import io.opflow.core.HookDefinition;
import io.opflow.core.NextAttempt;
import io.opflow.core.OpDefinition;
import io.opflow.core.config.NoConfig;
import io.opflow.core.internal.Cancellation;
import io.opflow.core.internal.DefaultHookContext;
import io.opflow.core.internal.HookCall;
import io.opflow.core.internal.RestrictedResources;
import io.opflow.core.spi.StepIdentity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds a {@link HookContext} for a test; every field has a default and may be set. */
public final class HookContextBuilder {
  private String jobName = "test_job";
  private String runId = "test-run";
  private String stepKey = "test_op";
  private int attempt = 1;
  private OpDefinition<?> op;
  private Object opConfig = NoConfig.INSTANCE;
  private Throwable opException;
  private ErrorInfo opError;
  private final Map<String, Object> outputs = new LinkedHashMap<>();
  private final Map<String, Object> resources = new LinkedHashMap<>();
  private boolean canceled;
  private NextAttempt nextAttempt;
  private int tryNumber = 1;

  HookContextBuilder() {}

  /** Makes the context a retry hook's: the attempt the step was put up for, due at {@code at}. */
  public HookContextBuilder nextAttempt(int attempt, Instant at) {
    this.nextAttempt = new NextAttempt(attempt, at);
    return this;
  }

  /** Sets which try of the hook call this is; default 1. */
  public HookContextBuilder tryNumber(int number) {
    this.tryNumber = number;
    return this;
  }

  /** Sets the job name. */
  public HookContextBuilder jobName(String name) {
    this.jobName = name;
    return this;
  }

  /** Sets the run id. */
  public HookContextBuilder runId(String id) {
    this.runId = id;
    return this;
  }

  /** Sets the step key. */
  public HookContextBuilder stepKey(String key) {
    this.stepKey = key;
    return this;
  }

  /** Sets the attempt. */
  public HookContextBuilder attempt(int number) {
    this.attempt = number;
    return this;
  }

  /** Sets the op; by default an op named after the step key that does nothing. */
  public HookContextBuilder op(OpDefinition<?> definition) {
    this.op = definition;
    return this;
  }

  /** Sets the op config. */
  public HookContextBuilder opConfig(Object config) {
    this.opConfig = config;
    return this;
  }

  /** Sets the exception the op failed with; the error value is derived from it. */
  public HookContextBuilder opException(Throwable exception) {
    this.opException = exception;
    this.opError = ErrorInfo.from(exception, false);
    return this;
  }

  /** Adds an output value the op produced. */
  public HookContextBuilder outputValue(String name, Object value) {
    outputs.put(name, value);
    return this;
  }

  /** Adds a resource; the hook sees it only if it requires the key. */
  public HookContextBuilder resource(String key, Object resource) {
    resources.put(key, resource);
    return this;
  }

  /**
   * Makes the context report {@link HookContext#isCanceled()} as true, as a hook past its timeout
   * sees it, to test how the hook stops.
   */
  public HookContextBuilder canceled() {
    this.canceled = true;
    return this;
  }

  /**
   * Does what {@link #canceled()} does, under the former spelling.
   *
   * @deprecated use {@link #canceled()}, spelled as Opflow spells <i>canceled</i> everywhere else;
   *     this alias is not going away
   */
  @Deprecated(forRemoval = false)
  public HookContextBuilder cancelled() {
    return canceled();
  }

  /** Returns the context for {@code hook}. */
  public HookContext build(HookDefinition hook) {
    OpDefinition<?> theOp = op != null ? op : OpDefinition.builder(stepKey).body(ctx -> null);
    return new DefaultHookContext(
        new StepIdentity(jobName, runId, stepKey, attempt),
        hook,
        theOp,
        opConfig,
        opException,
        opError,
        outputs,
        new RestrictedResources(
            "hook '" + hook.name() + "'", hook.requiredResourceKeys(), this::resourceOrFail),
        canceled ? Cancellation.canceled() : new Cancellation(),
        new HookCall(nextAttempt, tryNumber, 1));
  }

  /** Builds the context for {@code hook} and invokes the hook with it; exceptions propagate. */
  public void invoke(HookDefinition hook) throws Exception {
    hook.invoke(build(hook));
  }

  private Object resourceOrFail(String key) {
    Object resource = resources.get(key);
    if (resource == null) {
      throw new IllegalArgumentException(
          "the test context has no resource '"
              + key
              + "'; add it with .resource(\""
              + key
              + "\", value)");
    }
    return resource;
  }
}
