package io.opflow.worker.internal;

import io.opflow.core.ErrorInfo;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.OpflowException;
import io.opflow.core.config.RunConfig;
import io.opflow.core.execution.StepStatus;
import io.opflow.core.spi.DeclaredTypes;
import io.opflow.core.spi.RunConfigs;
import io.opflow.core.spi.RunResources;
import io.opflow.core.spi.StepAttempt;
import io.opflow.core.spi.StepIdentity;
import io.opflow.core.spi.StepOutcome;
import io.opflow.core.spi.StepRunner;
import io.opflow.events.StepEvent;
import io.opflow.events.StepSucceeded;
import io.opflow.protocol.StepTask;
import io.opflow.runtime.JsonValues;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs one step attempt of a task with core's {@link StepRunner} and turns the outcome into the
 * terminal step event: success with outputs, up for retry, or failure with partial outputs. Inputs
 * and run config are decoded here, on the op's thread; resources are built from the run config and
 * closed before the event is returned.
 */
final class StepExecution {
  private final JsonValues values;
  private final Function<String, String> environment;

  StepExecution(JsonValues values, Function<String, String> environment) {
    this.values = values;
    this.environment = environment;
  }

  /**
   * A finished attempt.
   *
   * @param event the terminal event to publish
   * @param outcome succeeded, failed or up_for_retry, for metrics
   * @param took how long the op ran
   */
  record Finished(StepEvent event, String outcome, Duration took) {
    /** Returns whether the op succeeded. */
    boolean succeeded() {
      return event.getPayload() instanceof StepSucceeded;
    }
  }

  /**
   * Runs the task's op and returns the terminal event to publish.
   *
   * @param timeoutKnown told the attempt's timeout, if it has one, before the op starts
   */
  Finished run(
      StepTask task, JobDefinition job, OpDefinition<?> op, Consumer<Duration> timeoutKnown) {
    RunConfig config;
    Map<String, Object> inputs;
    try {
      config = RunConfigs.overDefaults(task.getRunConfigJson(), job);
      inputs = JsonValues.decodeAll(task.getInputsJson(), DeclaredTypes.inputsOf(op));
    } catch (RuntimeException e) {
      StepEvent failed = StepEvents.failed(task, ErrorInfo.from(e, false), Map.of(), Duration.ZERO);
      return new Finished(failed, "failed", Duration.ZERO);
    }
    Optional<Duration> timeout = StepRunner.timeoutOf(op, config, task.getStepKey());
    timeout.ifPresent(timeoutKnown);
    StepIdentity id =
        new StepIdentity(job.name(), task.getRunId(), task.getStepKey(), task.getAttempt());
    try (RunResources resources =
        new RunResources(task.getRunId(), job.resources(), config, environment)) {
      StepAttempt attempt =
          StepRunner.run(id, op, config, inputs, resources::get, environment, timeout);
      return toEvent(task, op, attempt);
    }
  }

  private Finished toEvent(StepTask task, OpDefinition<?> op, StepAttempt attempt) {
    StepOutcome outcome = attempt.outcome();
    Duration took = attempt.duration();
    if (outcome.status() == StepStatus.SUCCEEDED) {
      return succeeded(task, outcome, took);
    }
    ErrorInfo error = outcome.error();
    if (error.retriable() && op.retryPolicy().allowsAnotherAttempt(task.getAttempt())) {
      Duration delay = op.retryPolicy().delayBeforeRetry(task.getAttempt());
      StepEvent retry = StepEvents.upForRetry(task, error, Instant.now().plus(delay));
      return new Finished(retry, "up_for_retry", took);
    }
    Map<String, String> partial = values.encodeWhatFits(outcome.outputs());
    return new Finished(StepEvents.failed(task, error, partial, took), "failed", took);
  }

  private Finished succeeded(StepTask task, StepOutcome outcome, Duration took) {
    try {
      StepEvent event = StepEvents.succeeded(task, values.encodeAll(outcome.outputs()), took);
      return new Finished(event, "succeeded", took);
    } catch (OpflowException e) {
      // Too large or not JSON: deterministic, so never retried.
      Map<String, String> partial = values.encodeWhatFits(outcome.outputs());
      StepEvent failed = StepEvents.failed(task, ErrorInfo.from(e, false), partial, took);
      return new Finished(failed, "failed", took);
    }
  }
}
