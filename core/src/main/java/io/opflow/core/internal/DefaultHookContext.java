package io.opflow.core.internal;

import io.opflow.core.ErrorInfo;
import io.opflow.core.HookContext;
import io.opflow.core.HookDefinition;
import io.opflow.core.NextAttempt;
import io.opflow.core.OpDefinition;
import io.opflow.core.Resources;
import io.opflow.core.spi.StepIdentity;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The context a hook gets, in execution and in tests.
 *
 * @param identity the step attempt
 * @param hookDefinition the hook
 * @param op the op of the step
 * @param opConfig the op's bound config
 * @param exception the op's exception, or {@code null}
 * @param error the op's error as a value, or {@code null}
 * @param opOutputValues the outputs produced
 * @param resources the hook's resources
 * @param cancellation set when the hook ran past its timeout
 * @param call which attempt is next (retry hooks), which try and which generation this call is
 */
public record DefaultHookContext(
    StepIdentity identity,
    HookDefinition hookDefinition,
    OpDefinition<?> op,
    Object opConfig,
    Throwable exception,
    ErrorInfo error,
    Map<String, Object> opOutputValues,
    Resources resources,
    Cancellation cancellation,
    HookCall call)
    implements HookContext {
  /** Copies the outputs. */
  public DefaultHookContext {
    opOutputValues = Map.copyOf(opOutputValues);
  }

  @Override
  public boolean isCanceled() {
    return cancellation.isCanceled();
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
  public Logger log() {
    return LoggerFactory.getLogger("opflow.hook." + hookDefinition.name());
  }

  @Override
  public Optional<Throwable> opException() {
    return Optional.ofNullable(exception);
  }

  @Override
  public Optional<ErrorInfo> opError() {
    return Optional.ofNullable(error);
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
  public Set<String> requiredResourceKeys() {
    return hookDefinition.requiredResourceKeys();
  }

  @Override
  public Optional<NextAttempt> nextAttempt() {
    return Optional.ofNullable(call.nextAttempt());
  }

  @Override
  public int tryNumber() {
    return call.tryNumber();
  }

  @Override
  public String idempotencyKey() {
    return HookContext.idempotencyKey(
        runId(), stepKey(), attempt(), hookDefinition.name(), call.generation());
  }
}
