package io.opflow.hooks.internal;

import io.opflow.core.ErrorInfo;
import io.opflow.core.JobDefinition;
import io.opflow.core.NextAttempt;
import io.opflow.core.OpDefinition;
import io.opflow.core.RemoteOpException;
import io.opflow.core.config.RunConfig;
import io.opflow.core.execution.StepStatus;
import io.opflow.core.spi.ConfigBinder;
import io.opflow.core.spi.DeclaredTypes;
import io.opflow.core.spi.StepIdentity;
import io.opflow.core.spi.StepOutcome;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepSkipped;
import io.opflow.events.StepSucceeded;
import io.opflow.events.StepUpForRetry;
import io.opflow.runtime.ErrorRecords;
import io.opflow.runtime.JsonValues;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds core's {@link StepOutcome} from a terminal step event, so hooks see what they would have
 * seen in process: the op config bound from the run config (with this process's environment),
 * outputs decoded with the op's declared types, and the error as a {@link RemoteOpException}.
 */
final class RemoteOutcomes {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteOutcomes.class);

  private final Function<String, String> environment;

  RemoteOutcomes(Function<String, String> environment) {
    this.environment = environment;
  }

  /**
   * Returns the outcome of a StepSucceeded, StepFailed or StepSkipped event, or of a StepUpForRetry
   * (a failed attempt with the attempt it was put up for, which retry hooks see).
   */
  StepOutcome of(StepEvent event, JobDefinition job, OpDefinition<?> op, RunConfig config) {
    StepIdentity id =
        new StepIdentity(job.name(), event.getRunId(), event.getStepKey(), event.getAttempt());
    Object opConfig = bindConfig(event, op, config);
    Object payload = event.getPayload();
    if (payload instanceof StepSucceeded s) {
      Map<String, Object> outputs = outputs(op, s.getOutputsJson());
      return new StepOutcome(id, op, opConfig, StepStatus.SUCCEEDED, null, null, outputs, null);
    }
    if (payload instanceof StepFailed f) {
      ErrorInfo error = ErrorRecords.fromAvro(f.getError());
      Map<String, Object> outputs = outputs(op, f.getPartialOutputsJson());
      return new StepOutcome(
          id, op, opConfig, StepStatus.FAILED, new RemoteOpException(error), error, outputs, null);
    }
    if (payload instanceof StepUpForRetry u) {
      ErrorInfo error = ErrorRecords.fromAvro(u.getError());
      NextAttempt next = new NextAttempt(u.getNextAttempt(), u.getRetryAt());
      return new StepOutcome(
          id,
          op,
          opConfig,
          StepStatus.FAILED,
          new RemoteOpException(error),
          error,
          Map.of(),
          null,
          next);
    }
    String reason = ((StepSkipped) payload).getReason();
    return new StepOutcome(id, op, opConfig, StepStatus.SKIPPED, null, null, Map.of(), reason);
  }

  private Object bindConfig(StepEvent event, OpDefinition<?> op, RunConfig config) {
    String path = "ops." + event.getStepKey() + ".config";
    try {
      return ConfigBinder.bind(
          path, op.configType(), config.opConfig(event.getStepKey()), environment);
    } catch (RuntimeException e) {
      // The binder redacts resolved secrets from its messages.
      LOG.warn("Hooks of step {} get no op config: {}", event.getStepKey(), e.getMessage());
      return null;
    }
  }

  private static Map<String, Object> outputs(OpDefinition<?> op, Map<String, String> json) {
    Map<String, Class<?>> types = DeclaredTypes.outputsOf(op);
    Map<String, Object> values = new LinkedHashMap<>();
    json.forEach((name, text) -> values.put(name, decode(name, text, types)));
    return values;
  }

  private static Object decode(String name, String text, Map<String, Class<?>> types) {
    try {
      return JsonValues.decode(name, text, types.getOrDefault(name, Object.class));
    } catch (RuntimeException e) {
      LOG.warn("Output '{}' does not decode as declared; hooks see plain JSON values", name);
      return JsonValues.decode(name, text, Object.class);
    }
  }
}
