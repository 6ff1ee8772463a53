package io.opflow.coordinator.internal;

import io.opflow.events.RunCanceled;
import io.opflow.events.RunEvent;
import io.opflow.events.RunFailed;
import io.opflow.events.RunStarted;
import io.opflow.events.RunSucceeded;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepSkipped;
import io.opflow.events.StepUpForRetry;
import io.opflow.protocol.ChainedStep;
import io.opflow.protocol.StepTask;
import io.opflow.runtime.ErrorRecords;
import io.opflow.runtime.OutputTooLargeException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the Avro records the coordinator publishes, as {@link CoordinatorInputs} reads those it
 * consumes. {@code ErrorInfo} here is the wire's error record ({@link io.opflow.events.ErrorInfo});
 * the rest of the coordinator works in core's error info, which this class writes as an error
 * record in full (frames and causes too) with runtime's {@link ErrorRecords}, the converter every
 * role uses. Only this class builds error records.
 */
final class CoordinatorRecords {
  private CoordinatorRecords() {}

  static StepTask task(
      PlanIndex plan,
      String stepKey,
      int attempt,
      Map<String, String> inputs,
      long lease,
      long now,
      List<StepSpec> chain) {
    RunPlan run = plan.plan();
    return new StepTask(
        run.runId(),
        run.jobName(),
        stepKey,
        plan.opName(stepKey),
        attempt,
        inputs,
        run.runConfigJson(),
        run.codeVersion(),
        lease,
        Instant.ofEpochMilli(now),
        chain.stream().map(CoordinatorRecords::chained).toList());
  }

  private static ChainedStep chained(StepSpec step) {
    Map<String, String> inputs = new LinkedHashMap<>();
    step.inputs().forEach((name, from) -> inputs.put(name, from.output()));
    return new ChainedStep(step.stepKey(), step.opName(), inputs);
  }

  static StepEvent skipped(PlanIndex run, String stepKey, int attempt, String reason, long now) {
    return step(run, stepKey, attempt, now, new StepSkipped(reason));
  }

  static StepEvent failed(
      PlanIndex run,
      String stepKey,
      int attempt,
      io.opflow.core.ErrorInfo error,
      long duration,
      long now) {
    return step(
        run, stepKey, attempt, now, new StepFailed(ErrorRecords.toAvro(error), duration, Map.of()));
  }

  static StepEvent upForRetry(
      PlanIndex run,
      String stepKey,
      int attempt,
      io.opflow.core.ErrorInfo error,
      long retryAt,
      long now) {
    StepUpForRetry payload =
        new StepUpForRetry(attempt + 1, Instant.ofEpochMilli(retryAt), ErrorRecords.toAvro(error));
    return step(run, stepKey, attempt, now, payload);
  }

  // Events the coordinator publishes carry the run config (unresolved), so hooks can build their
  // resources without another lookup.
  private static StepEvent step(
      PlanIndex run, String stepKey, int attempt, long now, Object payload) {
    return new StepEvent(
        run.runId(),
        stepKey,
        attempt,
        run.jobName(),
        run.opName(stepKey),
        Instant.ofEpochMilli(now),
        payload,
        run.plan().runConfigJson());
  }

  // The type the worker gives an output over its cap, so retry policies and hooks see one type for
  // both.
  private static final String OUTPUT_TOO_LARGE = OutputTooLargeException.class.getName();

  static io.opflow.core.ErrorInfo outputTooLarge(String message) {
    return error(OUTPUT_TOO_LARGE, message, false);
  }

  static io.opflow.core.ErrorInfo error(String type, String message, boolean retriable) {
    return new io.opflow.core.ErrorInfo(type, Limits.truncate(message), List.of(), null, retriable);
  }

  static RunEvent started(String runId, String jobName, long now, ReusedSteps reused) {
    RunStarted started =
        RunStarted.newBuilder()
            .setParentRunId(reused.parentRunId())
            .setReusedStepKeys(reused.stepKeys())
            .build();
    return run(runId, jobName, now, started);
  }

  static RunEvent succeeded(String runId, String jobName, long duration, long now) {
    return run(runId, jobName, now, new RunSucceeded(duration));
  }

  static RunEvent failed(
      String runId, String jobName, List<String> failedSteps, String message, long now) {
    return run(runId, jobName, now, new RunFailed(failedSteps, message));
  }

  static RunEvent canceled(String runId, String jobName, String reason, long now) {
    return run(runId, jobName, now, new RunCanceled(reason));
  }

  private static RunEvent run(String runId, String jobName, long now, Object payload) {
    return new RunEvent(runId, jobName, Instant.ofEpochMilli(now), payload);
  }
}
