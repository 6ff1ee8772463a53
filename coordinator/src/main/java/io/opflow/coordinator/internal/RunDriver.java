package io.opflow.coordinator.internal;

import io.opflow.core.execution.RunStatus;
import io.opflow.core.plan.RunProgress;
import io.opflow.core.plan.StepProgress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a run forward after its progress changed: publishes skips, issues tasks for ready steps,
 * and ends the run with exactly one terminal run event once every step has ended. The one place
 * every command goes through to save a run.
 */
final class RunDriver {
  private static final Logger LOG = LoggerFactory.getLogger(RunDriver.class);

  private final RunStore store;
  private final Outbox out;
  private final CoordinatorMetrics metrics;
  private final long leaseMillis;

  RunDriver(RunStore store, Outbox out, CoordinatorMetrics metrics, long leaseMillis) {
    this.store = store;
    this.out = out;
    this.metrics = metrics;
    this.leaseMillis = leaseMillis;
  }

  /** Skips what can no longer run, issues what is ready, then saves or ends the run. */
  void advance(RunState run, RunProgress progress) {
    RunProgress.Advance next = progress.advance();
    next.skipped().forEach((step, reason) -> publishSkip(run, progress, step, reason));
    next.ready().forEach(step -> issue(run, progress, step));
    saveOrEnd(run, progress);
  }

  /** Queues the next attempt of a pending or up-for-retry step and publishes its task. */
  void issue(RunState run, RunProgress progress, String stepKey) {
    int attempt = progress.queue(stepKey);
    run.clearTimers(stepKey);
    out.task(Events.task(run, stepKey, attempt, inputsOf(run, stepKey), leaseMillis, out.now()));
    metrics.stepIssued(run.jobName(), run.opName(stepKey));
    LOG.debug("Run {}: issued step {} attempt {}", run.runId(), stepKey, attempt);
  }

  void publishSkip(RunState run, RunProgress progress, String stepKey, String reason) {
    StepProgress step = progress.step(stepKey);
    out.stepEvent(Events.skipped(run, stepKey, step.attempt(), reason, out.now()));
  }

  /** Saves the run, or ends it if every step has ended. */
  void saveOrEnd(RunState run, RunProgress progress) {
    run.update(progress);
    if (progress.isFinished()) {
      end(run, progress);
    } else {
      store.save(run);
    }
  }

  // Inputs are the recorded outputs of upstream steps; advance() issues a step only once every
  // upstream step succeeded and produced the outputs it reads.
  private static Map<String, String> inputsOf(RunState run, String stepKey) {
    Map<String, String> inputs = new LinkedHashMap<>();
    run.spec(stepKey)
        .inputs()
        .forEach((name, from) -> inputs.put(name, run.outputsOf(from.step()).get(from.output())));
    return inputs;
  }

  private void end(RunState run, RunProgress progress) {
    RunStatus status = progress.status();
    long now = out.now();
    out.runEvent(endEvent(run, progress, status, now));
    store.finish(new FinishedRun(run.runId(), run.jobName(), status, now, null));
    metrics.runEnded(run.jobName(), status);
    LOG.info("Run {} of job {} ended: {}", run.runId(), run.jobName(), status);
  }

  private static io.opflow.events.RunEvent endEvent(
      RunState run, RunProgress progress, RunStatus status, long now) {
    return switch (status) {
      case SUCCESS -> Events.succeeded(run.runId(), run.jobName(), now - run.startedAt(), now);
      case CANCELED -> Events.canceled(run.runId(), run.jobName(), cancelReason(run), now);
      case FAILURE -> failure(run, progress.failedSteps(), now);
    };
  }

  private static String cancelReason(RunState run) {
    return run.cancelReason() == null ? "canceled" : run.cancelReason();
  }

  private static io.opflow.events.RunEvent failure(RunState run, List<String> failed, long now) {
    String details =
        failed.stream()
            .map(step -> "step '" + step + "' failed: " + run.errors().getOrDefault(step, "?"))
            .collect(Collectors.joining("; "));
    String message = failed.size() + " step(s) failed: " + details;
    return Events.failed(run.runId(), run.jobName(), failed, message, now);
  }
}
