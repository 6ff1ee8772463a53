package io.opflow.coordinator.internal;

import io.opflow.core.ErrorInfo;
import io.opflow.core.lifecycle.StepState;
import io.opflow.core.plan.RunProgress;
import io.opflow.core.plan.StepProgress;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepSucceeded;
import io.opflow.events.StepUpForRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies an event read from {@code step-events}, the single source of truth. For each attempt the
 * first terminal event in partition order wins (RunProgress fences by attempt); later ones, and any
 * for an attempt that is not current, are counted as stale and ignored.
 */
final class StepEventCommand {
  private static final Logger LOG = LoggerFactory.getLogger(StepEventCommand.class);

  private final RunStore store;
  private final RunDriver driver;
  private final Outbox out;
  private final CoordinatorMetrics metrics;

  StepEventCommand(RunStore store, RunDriver driver, Outbox out, CoordinatorMetrics metrics) {
    this.store = store;
    this.driver = driver;
    this.out = out;
    this.metrics = metrics;
  }

  void handle(StepEvent event) {
    RunState run = store.active(event.getRunId());
    if (run == null || !run.plan().contains(event.getStepKey())) {
      ignoreUnknown(event);
      return;
    }
    Object payload = event.getPayload();
    if (payload instanceof io.opflow.events.StepStarted started) {
      onLease(run, event, started.getWorkerId(), started.getLeaseExpiresAt().toEpochMilli());
    } else if (payload instanceof io.opflow.events.StepHeartbeat beat) {
      onLease(run, event, beat.getWorkerId(), beat.getLeaseExpiresAt().toEpochMilli());
    } else if (payload instanceof StepSucceeded succeeded) {
      onSucceeded(run, event, succeeded);
    } else if (payload instanceof StepFailed failed) {
      onFailed(run, event, failed.getError());
    } else if (payload instanceof StepUpForRetry retry) {
      onUpForRetry(run, event, retry);
    }
    // StepSkipped is the coordinator's own output read back: the skip was applied when published.
  }

  private void onLease(RunState run, StepEvent event, String workerId, long expiresAt) {
    RunProgress progress = run.progress();
    String step = event.getStepKey();
    int attempt = event.getAttempt();
    StepProgress current = progress.step(step);
    if (current.attempt() != attempt
        || current.state().isTerminal()
        || current.state() == StepState.UP_FOR_RETRY) {
      LOG.debug("Run {}: lease of stale attempt {} of {} ignored", run.runId(), attempt, step);
      return;
    }
    progress.started(step, attempt);
    RunState.Lease old = run.leases().get(step);
    long startedAt = old != null && old.attempt() == attempt ? old.startedAt() : out.now();
    run.leases().put(step, new RunState.Lease(attempt, workerId, startedAt, expiresAt));
    driver.saveOrEnd(run, progress);
  }

  private void onSucceeded(RunState run, StepEvent event, StepSucceeded succeeded) {
    RunProgress progress = run.progress();
    String step = event.getStepKey();
    if (!progress.succeeded(step, event.getAttempt(), succeeded.getOutputsJson().keySet())) {
      stale(run, event);
      return;
    }
    run.recordOutputs(step, succeeded.getOutputsJson());
    run.clearTimers(step);
    driver.advance(run, progress);
  }

  private void onFailed(RunState run, StepEvent event, io.opflow.events.ErrorInfo error) {
    RunProgress progress = run.progress();
    String step = event.getStepKey();
    if (!progress.failed(step, event.getAttempt(), false).accepted()) {
      stale(run, event);
      return;
    }
    recordFailure(run, step, error);
    driver.advance(run, progress);
  }

  private void onUpForRetry(RunState run, StepEvent event, StepUpForRetry retry) {
    RunProgress progress = run.progress();
    String step = event.getStepKey();
    int attempt = event.getAttempt();
    RunProgress.FailureDecision decision = progress.failed(step, attempt, true);
    if (!decision.accepted()) {
      stale(run, event);
      return;
    }
    recordFailure(run, step, retry.getError());
    if (!decision.retry()) {
      LOG.warn(
          "Run {}: step {} attempt {} was put up for retry, but its retry policy allows no more"
              + " attempts; the step has failed",
          run.runId(),
          step,
          attempt);
    } else {
      scheduleRetry(run, progress, step, retry.getRetryAt().toEpochMilli());
    }
    driver.advance(run, progress);
  }

  private void scheduleRetry(RunState run, RunProgress progress, String step, long retryAt) {
    if (retryAt <= out.now()) {
      driver.issue(run, progress, step);
    } else {
      run.retryAt().put(step, retryAt);
    }
  }

  private void recordFailure(RunState run, String step, io.opflow.events.ErrorInfo error) {
    run.clearTimers(step);
    run.recordError(step, Events.summary(error));
    if (ErrorInfo.WORKER_LOST.equals(error.getType())) {
      metrics.workerLost();
    }
  }

  private void stale(RunState run, StepEvent event) {
    metrics.staleResult();
    LOG.debug(
        "Run {}: stale or duplicate result for step {} attempt {} ignored ({})",
        run.runId(),
        event.getStepKey(),
        event.getAttempt(),
        event.getPayload().getClass().getSimpleName());
  }

  private void ignoreUnknown(StepEvent event) {
    if (store.finished(event.getRunId()) != null) {
      if (isResult(event)) {
        metrics.staleResult();
      }
      LOG.debug("Event for step {} of ended run {} ignored", event.getStepKey(), event.getRunId());
    } else {
      LOG.warn("Event for unknown step {} of run {} ignored", event.getStepKey(), event.getRunId());
    }
  }

  private static boolean isResult(StepEvent event) {
    Object payload = event.getPayload();
    return payload instanceof StepSucceeded
        || payload instanceof StepFailed
        || payload instanceof StepUpForRetry;
  }
}
