package io.opflow.coordinator.internal;

import io.opflow.core.ErrorInfo;
import io.opflow.core.RetryPolicy;
import io.opflow.core.lifecycle.StepState;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies an event read from {@code step-events}, the single source of truth, as {@link
 * CoordinatorInputs} turned it into a {@link StepInput}. For each attempt the first terminal event
 * in partition order wins; later ones, and any for an attempt that is not current, are counted as
 * stale and ignored. A heartbeat only moves the attempt's lease in memory; a start stores the step
 * as running (a few bytes), so a restored coordinator knows which leases to watch.
 */
final class StepEventCommand implements StepInput.Handler {
  private static final Logger LOG = LoggerFactory.getLogger(StepEventCommand.class);

  private final RunStore store;
  private final RunDriver driver;
  private final Outbox out;
  private final CoordinatorMetrics metrics;
  private final LeaseTable leases;
  private final DueQueue retries;
  private final TaskPlacement placement;

  StepEventCommand(
      RunStore store,
      RunDriver driver,
      Outbox out,
      CoordinatorMetrics metrics,
      LeaseTable leases,
      DueQueue retries,
      TaskPlacement placement) {
    this.store = store;
    this.driver = driver;
    this.out = out;
    this.metrics = metrics;
    this.leases = leases;
    this.retries = retries;
    this.placement = placement;
  }

  void handle(StepInput event) {
    event.applyTo(this);
  }

  // A heartbeat reads no store unless its lease is unknown here (a restored coordinator, or a
  // heartbeat racing the start), and writes none.
  @Override
  public void onHeartbeat(StepInput.Heartbeat beat) {
    LeaseTable.Lease lease = leases.get(beat.runId(), beat.stepKey());
    if (lease != null && lease.attempt() == beat.attempt()) {
      renew(beat, lease.taskPartition(), beat.workerId(), beat.leaseMillis());
      return;
    }
    ActiveRun run = ActiveRun.load(store, beat.runId());
    if (run != null
        && run.plan().contains(beat.stepKey())
        && run.step(beat.stepKey()).awaitsResultOf(beat.attempt())) {
      markRunning(run, beat, beat.workerId(), beat.leaseMillis());
    }
  }

  @Override
  public void onStarted(StepInput.Started started) {
    ActiveRun run = activeRun(started);
    if (run == null) {
      return;
    }
    if (!run.step(started.stepKey()).awaitsResultOf(started.attempt())) {
      LOG.debug("Run {}: start of stale attempt {} ignored", run.runId(), started.attempt());
      return;
    }
    markRunning(run, started, started.workerId(), started.leaseMillis());
  }

  // The worker states its lease as an end on its own clock; only the length is taken from it
  // (StepInput's leaseMillis), and counted from now on the coordinator's clock, so a worker's
  // clock skew cannot expire a lease. A coordinator that reads the event late extends the lease by
  // as much: the safe direction.
  private void markRunning(ActiveRun run, StepInput event, String workerId, long leaseMillis) {
    String stepKey = event.stepKey();
    StepRecord step = run.step(stepKey);
    if (step.state() == StepState.QUEUED) {
      run.update(stepKey, step.running(workerId));
      run.save();
    }
    renew(event, step.taskPartition(), workerId, leaseMillis);
  }

  private void renew(StepInput event, int taskPartition, String workerId, long leaseMillis) {
    long now = out.now();
    LeaseTable.Lease lease =
        leases.renew(
            event.runId(),
            event.stepKey(),
            event.attempt(),
            taskPartition,
            workerId,
            now,
            now + leaseMillis);
    placement.workerSeen(workerId, lease.taskPartition(), now);
  }

  @Override
  public void onSucceeded(StepInput.Succeeded succeeded) {
    ActiveRun run = activeRun(succeeded);
    if (run == null) {
      return;
    }
    String stepKey = succeeded.stepKey();
    StepRecord step = run.step(stepKey);
    if (!step.awaitsResultOf(succeeded.attempt())) {
      stale(run, succeeded);
      return;
    }
    Map<String, String> outputs = succeeded.outputs();
    boolean kept = driver.keepOutputs(run, stepKey, outputs);
    run.update(stepKey, step.succeeded(List.copyOf(outputs.keySet()), kept));
    String chained = succeeded.chainedStepKey();
    if (chained != null) {
      driver.startChained(run, stepKey, chained);
    }
    ended(run, stepKey);
  }

  @Override
  public void onFailed(StepInput.Failed failed) {
    ActiveRun run = activeRun(failed);
    if (run == null) {
      return;
    }
    String stepKey = failed.stepKey();
    StepRecord step = run.step(stepKey);
    if (!step.awaitsResultOf(failed.attempt())) {
      stale(run, failed);
      return;
    }
    countLost(failed.error());
    run.update(stepKey, step.failed(failed.error().summary(), StepState.FAILED, 0));
    ended(run, stepKey);
  }

  @Override
  public void onUpForRetry(StepInput.UpForRetry retry) {
    ActiveRun run = activeRun(retry);
    if (run == null) {
      return;
    }
    String stepKey = retry.stepKey();
    StepRecord step = run.step(stepKey);
    int attempt = retry.attempt();
    if (!step.awaitsResultOf(attempt)) {
      stale(run, retry);
      return;
    }
    countLost(retry.error());
    RetryPolicy policy = run.plan().retryPolicy(stepKey);
    if (run.summary().canceled() || !policy.allowsAnotherAttempt(attempt)) {
      failForGood(run, retry);
      return;
    }
    long retryAt = retry.retryAt();
    run.update(stepKey, step.failed(retry.error().summary(), StepState.UP_FOR_RETRY, retryAt));
    leases.remove(run.runId(), stepKey);
    if (retryAt <= out.now()) {
      driver.issue(run, stepKey);
    } else {
      retries.add(new DueQueue.Due(run.runId(), stepKey, attempt, retryAt));
    }
    driver.saveOrEnd(run);
  }

  // The skip was applied when published: this is the coordinator's own output read back.
  @Override
  public void onSkipped(StepInput.Skipped skipped) {
    activeRun(skipped);
  }

  // The worker's retry policy allowed another attempt and the job snapshot's does not: the step
  // has failed, and a StepFailed says so, so that watchers and failure hooks see the failure.
  private void failForGood(ActiveRun run, StepInput.UpForRetry retry) {
    String stepKey = retry.stepKey();
    LOG.warn(
        "Run {}: step {} attempt {} was put up for retry, but its retry policy allows no more"
            + " attempts; the step has failed",
        run.runId(),
        stepKey,
        retry.attempt());
    StepRecord step = run.step(stepKey);
    run.update(stepKey, step.failed(retry.error().summary(), StepState.FAILED, 0));
    out.stepEvent(
        CoordinatorRecords.failed(
            run.plan(), stepKey, retry.attempt(), retry.error(), 0, out.now()));
    ended(run, stepKey);
  }

  private void ended(ActiveRun run, String stepKey) {
    leases.remove(run.runId(), stepKey);
    driver.stepEnded(run, stepKey);
    driver.saveOrEnd(run);
  }

  private void countLost(ErrorInfo error) {
    if (ErrorInfo.WORKER_LOST.equals(error.type())) {
      metrics.workerLost();
    }
  }

  // Names the event as the wire does (StepSucceeded, StepFailed, StepUpForRetry), as it always has.
  private void stale(ActiveRun run, StepInput event) {
    metrics.staleResult();
    LOG.debug(
        "Run {}: stale or duplicate result for step {} attempt {} ignored ({})",
        run.runId(),
        event.stepKey(),
        event.attempt(),
        "Step" + event.getClass().getSimpleName());
  }

  // The event's run, if it is active and has the event's step; else the event is ignored.
  private ActiveRun activeRun(StepInput event) {
    ActiveRun run = ActiveRun.load(store, event.runId());
    if (run == null || !run.plan().contains(event.stepKey())) {
      ignoreUnknown(event);
      return null;
    }
    return run;
  }

  private void ignoreUnknown(StepInput event) {
    if (store.finished(event.runId()) != null) {
      if (event.isResult()) {
        metrics.staleResult();
      }
      LOG.debug("Event for step {} of ended run {} ignored", event.stepKey(), event.runId());
    } else {
      LOG.warn("Event for unknown step {} of run {} ignored", event.stepKey(), event.runId());
    }
  }
}
