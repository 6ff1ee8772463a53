package io.opflow.core.spi;

import io.opflow.core.ErrorInfo;
import io.opflow.core.OpDefinition;
import io.opflow.core.OpflowException;
import io.opflow.core.OutputDefinition;
import io.opflow.core.StepTimedOutException;
import io.opflow.core.config.InvalidRunConfigException;
import io.opflow.core.config.RunConfig;
import io.opflow.core.execution.StepStatus;
import io.opflow.core.internal.DefaultOpContext;
import io.opflow.core.internal.RestrictedResources;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs one step attempt: binds the op's config (resolving {@code {env: NAME}} here, where the op
 * runs), builds its context, invokes it and checks its required outputs. Never throws for a failing
 * op: the failure is the outcome. Used by the in-process executor and by workers.
 */
public final class StepRunner {
  private StepRunner() {}

  /**
   * Runs an attempt.
   *
   * @param id the step attempt
   * @param op the op of the step
   * @param config the run config
   * @param inputs the input values by name
   * @param resources builds or returns a resource by key
   * @param environment resolves environment references
   * @param timeout how long the attempt may run before its thread is interrupted and it ends with
   *     {@link StepTimedOutException}, as {@link #timeoutOf} gives it; empty for no limit
   */
  public static <C> StepAttempt run(
      StepIdentity id,
      OpDefinition<C> op,
      RunConfig config,
      Map<String, Object> inputs,
      Function<String, Object> resources,
      Function<String, String> environment,
      Optional<Duration> timeout) {
    Instant start = Instant.now();
    C opConfig = null;
    DefaultOpContext<C> context = null;
    OpTimeouts.Watch watch = timeout.map(OpTimeouts::watchCurrentThread).orElse(null);
    Exception error = null;
    try (LogContext ignored = LogContext.forStep(id.runId(), id.stepKey(), op.name())) {
      opConfig =
          ConfigBinder.bind(
              "ops." + id.stepKey() + ".config",
              op.configType(),
              config.opConfig(id.stepKey()),
              environment);
      RestrictedResources visible =
          new RestrictedResources("op '" + op.name() + "'", op.requiredResourceKeys(), resources);
      context = new DefaultOpContext<>(id, op, opConfig, inputs, visible);
      op.invoke(context);
      requireOutputs(op, context.outputs());
    } catch (Exception e) {
      error = e;
    }
    if (watch != null && watch.end()) {
      error = new StepTimedOutException(op.name(), id.stepKey(), timeout.get(), error);
    }
    Map<String, Object> outputs = context == null ? Map.of() : context.outputs();
    return ended(id, op, opConfig, outputs, error, start);
  }

  /**
   * Returns how long an attempt of {@code op} at {@code node} may run: the run config's {@code
   * ops.<node>.timeout}, else the op's own timeout.
   *
   * @param op the op
   * @param config the run config
   * @param node the node (step key)
   * @return the timeout, or empty when the attempt may run as long as it takes
   */
  public static Optional<Duration> timeoutOf(OpDefinition<?> op, RunConfig config, String node) {
    Optional<Duration> override = config.opTimeout(node);
    return override.isPresent() ? override : op.timeout();
  }

  private static StepAttempt ended(
      StepIdentity id,
      OpDefinition<?> op,
      Object opConfig,
      Map<String, Object> outputs,
      Exception error,
      Instant start) {
    Duration duration = Duration.between(start, Instant.now());
    if (error == null) {
      return new StepAttempt(
          new StepOutcome(id, op, opConfig, StepStatus.SUCCEEDED, null, null, outputs, null),
          duration);
    }
    boolean retriable =
        !(error instanceof OutputMissingException)
            && !(error instanceof InvalidRunConfigException)
            && op.retryPolicy().isRetriable(error);
    ErrorInfo info = ErrorInfo.from(error, retriable);
    return new StepAttempt(
        new StepOutcome(id, op, opConfig, StepStatus.FAILED, error, info, outputs, null), duration);
  }

  private static void requireOutputs(OpDefinition<?> op, Map<String, Object> produced) {
    for (OutputDefinition output : op.outputs()) {
      if (!output.optional() && !produced.containsKey(output.name())) {
        throw new OutputMissingException(op, output);
      }
    }
  }

  /** A required output the op did not produce; not retried, since it is a bug in the op. */
  static final class OutputMissingException extends OpflowException {
    private static final long serialVersionUID = 1L;

    OutputMissingException(OpDefinition<?> op, OutputDefinition output) {
      super(
          "op '"
              + op.name()
              + "' finished without producing output '"
              + output.name()
              + "'; return a value or call ctx.output(\""
              + output.name()
              + "\", value), or declare it with optionalOutput(...)");
    }
  }
}
