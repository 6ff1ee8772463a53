package io.opflow.coordinator.internal;

import io.opflow.core.execution.RunStatus;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles a run request: refuses an invalid job snapshot with one {@code RunFailed}, ignores a run
 * id it already knows, otherwise plans the run, publishes {@code RunStarted} and issues the first
 * steps.
 */
final class RunRequestedCommand {
  private static final Logger LOG = LoggerFactory.getLogger(RunRequestedCommand.class);

  private final RunStore store;
  private final RunDriver driver;
  private final Outbox out;
  private final CoordinatorMetrics metrics;
  private final Limits limits;

  RunRequestedCommand(
      RunStore store, RunDriver driver, Outbox out, CoordinatorMetrics metrics, Limits limits) {
    this.store = store;
    this.driver = driver;
    this.out = out;
    this.metrics = metrics;
    this.limits = limits;
  }

  void handle(CoordinatorInput.RunRequest request) {
    String key = request.key();
    String runId = request.runId();
    if (!runId.equals(key)) {
      // Step events are keyed by run id; a run on another partition would never see them.
      // Nothing is stored: this partition does not own the run id, and a correctly keyed retry of
      // the request must not be taken for a duplicate.
      publishRefusal(
          request, "the record key '" + key + "' is not the run id: key run commands by run id");
      return;
    }
    if (store.known(runId)) {
      LOG.info("Run {} is already known; duplicate run request ignored", runId);
      return;
    }
    SnapshotPlanner.Result plan = SnapshotPlanner.plan(request.nodes());
    if (!plan.valid()) {
      refuse(request, "invalid job snapshot: " + String.join("; ", plan.problems()));
      return;
    }
    List<String> reuseProblems = ReusedSteps.problems(request, plan.steps());
    if (reuseProblems.isEmpty()) {
      start(request, plan.steps());
    } else {
      refuse(request, "invalid re-execution: " + String.join("; ", reuseProblems));
    }
  }

  private void start(CoordinatorInput.RunRequest request, List<StepSpec> steps) {
    long now = out.now();
    RunPlan plan =
        new RunPlan(
            request.runId(),
            request.jobName(),
            request.codeVersion(),
            request.runConfigJson(),
            now,
            steps);
    long size = StoreJson.sizeOf(plan);
    if (size > limits.maxInlineBytes()) {
      refuse(request, tooLarge(size));
      return;
    }
    ReusedSteps reused = ReusedSteps.of(request);
    RunSummary summary = RunSummary.of(steps.size());
    PlanIndex index = store.start(plan, summary);
    out.runEvent(CoordinatorRecords.started(plan.runId(), plan.jobName(), now, reused));
    metrics.runStarted(plan.jobName());
    if (reused.parentRunId() == null) {
      LOG.info(
          "Run {} of job {} started with {} steps", plan.runId(), plan.jobName(), steps.size());
    } else {
      LOG.info(
          "Run {} of job {} started with {} steps, re-executing run {} and reusing {}",
          plan.runId(),
          plan.jobName(),
          steps.size(),
          reused.parentRunId(),
          reused.stepKeys());
    }
    driver.start(ActiveRun.started(store, index, summary), reused);
  }

  private String tooLarge(long size) {
    return "the job snapshot and run config take "
        + size
        + " bytes as the coordinator stores them, over "
        + limits.maxInlineBytes()
        + " bytes ("
        + Limits.SETTING
        + "); make the run config smaller (pass large values by reference) or split the job";
  }

  private void refuse(CoordinatorInput.RunRequest request, String message) {
    long now = publishRefusal(request, message);
    String runId = request.runId();
    store.finish(null, new FinishedRun(runId, request.jobName(), RunStatus.FAILED, now, message));
  }

  private long publishRefusal(CoordinatorInput.RunRequest request, String message) {
    long now = out.now();
    String runId = request.runId();
    out.runEvent(
        CoordinatorRecords.failed(
            runId, request.jobName(), List.of(), Limits.truncate(message), now));
    metrics.runEnded(request.jobName(), RunStatus.FAILED);
    LOG.warn("Run {} refused: {}", request.runId(), message);
    return now;
  }
}
