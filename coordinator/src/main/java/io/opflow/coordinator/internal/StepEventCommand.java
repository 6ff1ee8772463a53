package io.opflow.coordinator.internal;

import io.opflow.core.ErrorInfo;
import io.opflow.core.RetryPolicy;
import io.opflow.core.lifecycle.StepState;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepHeartbeat;
import io.opflow.events.StepStarted;
import io.opflow.events.StepSucceeded;
import io.opflow.events.StepUpForRetry;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies an event read from {@code step-events}, the single source of truth. For each attempt the
 * first terminal event in partition order wins; later ones, and any for an attempt that is not
 * current, are counted as stale and ignored. A heartbeat only moves the attempt's lease in memory;
 * a start stores the step as running (a few bytes), so a restored coordinator knows which leases to
 * watch.
 */
final class StepEventCommand {
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

  void handle(StepEvent event) {
    Object payload = event.getPayload();
    if (payload instanceof StepHeartbeat beat) {
      onHeartbeat(event, beat);
      return;
    }
    ActiveRun run = ActiveRun.load(store, event.getRunId());
    if (run == null || !run.plan().contains(event.getStepKey())) {
      ignoreUnknown(event);
      return;
    }
    if (payload instanceof StepStarted started) {
      onStarted(run, event, started);
    } else if (payload instanceof StepSucceeded succeeded) {
      onSucceeded(run, event, succeeded);
    } else if (payload instanceof StepFailed failed) {
      onFailed(run, event, failed);
    } else if (payload instanceof StepUpForRetry retry) {
      onUpForRetry(run, event, retry);
    }
    // StepSkipped is the coordinator's own output read back: the skip was applied when published.
  }

  // A heartbeat reads no store unless its lease is unknown here (a restored coordinator, or a
  // heartbeat racing the start), and writes none.
  private void onHeartbeat(StepEvent event, StepHeartbeat beat) {
    LeaseTable.Lease lease = leases.get(event.getRunId(), event.getStepKey());
    if (lease != null && lease.attempt() == event.getAttempt()) {
      renew(
          event,
          lease.taskPartition(),
          beat.getWorkerId(),
          leaseMillis(event, beat.getLeaseExpiresAt()));
      return;
    }
    ActiveRun run = ActiveRun.load(store, event.getRunId());
    if (run != null
        && run.plan().contains(event.getStepKey())
        && run.step(event.getStepKey()).awaitsResultOf(event.getAttempt())) {
      markRunning(run, event, beat.getWorkerId(), leaseMillis(event, beat.getLeaseExpiresAt()));
    }
  }

  private void onStarted(ActiveRun run, StepEvent event, StepStarted started) {
    if (!run.step(event.getStepKey()).awaitsResultOf(event.getAttempt())) {
      LOG.debug("Run {}: start of stale attempt {} ignored", run.runId(), event.getAttempt());
      return;
    }
    markRunning(run, event, started.getWorkerId(), leaseMillis(event, started.getLeaseExpiresAt()));
  }

  // The worker states its lease as an end on its own clock; only the length is taken from it, and
  // counted from now on the coordinator's clock, so a worker's clock skew cannot expire a lease.
  // A coordinator that reads the event late extends the lease by as much: the safe direction.
  private static long leaseMillis(StepEvent event, java.time.Instant leaseEnd) {
    return Math.max(0, leaseEnd.toEpochMilli() - event.getTimestamp().toEpochMilli());
  }

  private void markRunning(ActiveRun run, StepEvent event, String workerId, long leaseMillis) {
    String stepKey = event.getStepKey();
    StepRecord step = run.step(stepKey);
    if (step.state() == StepState.QUEUED) {
      run.update(stepKey, step.running(workerId));
      run.save();
    }
    renew(event, step.taskPartition(), workerId, leaseMillis);
  }

  private void renew(StepEvent event, int taskPartition, String workerId, long leaseMillis) {
    long now = out.now();
    LeaseTable.Lease lease =
        leases.renew(
            event.getRunId(),
            event.getStepKey(),
            event.getAttempt(),
            taskPartition,
            workerId,
            now,
            now + leaseMillis);
    placement.workerSeen(workerId, lease.taskPartition(), now);
  }

  private void onSucceeded(ActiveRun run, StepEvent event, StepSucceeded succeeded) {
    String stepKey = event.getStepKey();
    StepRecord step = run.step(stepKey);
    if (!step.awaitsResultOf(event.getAttempt())) {
      stale(run, event);
      return;
    }
    Map<String, String> outputs = succeeded.getOutputsJson();
    boolean kept = driver.keepOutputs(run, stepKey, outputs);
    run.update(stepKey, step.succeeded(List.copyOf(outputs.keySet()), kept));
    String chained = succeeded.getChainedStepKey();
    if (chained != null) {
      driver.startChained(run, stepKey, chained);
    }
    ended(run, stepKey);
  }

  private void onFailed(ActiveRun run, StepEvent event, StepFailed failed) {
    String stepKey = event.getStepKey();
    StepRecord step = run.step(stepKey);
    if (!step.awaitsResultOf(event.getAttempt())) {
      stale(run, event);
      return;
    }
    countLost(failed.getError().getType());
    run.update(
        stepKey, step.failed(CoordinatorRecords.summary(failed.getError()), StepState.FAILED, 0));
    ended(run, stepKey);
  }

  private void onUpForRetry(ActiveRun run, StepEvent event, StepUpForRetry retry) {
    String stepKey = event.getStepKey();
    StepRecord step = run.step(stepKey);
    int attempt = event.getAttempt();
    if (!step.awaitsResultOf(attempt)) {
      stale(run, event);
      return;
    }
    countLost(retry.getError().getType());
    RetryPolicy policy = run.plan().retryPolicy(stepKey);
    if (run.summary().canceled() || !policy.allowsAnotherAttempt(attempt)) {
      failForGood(run, event, retry);
      return;
    }
    long retryAt = retry.getRetryAt().toEpochMilli();
    run.update(
        stepKey,
        step.failed(CoordinatorRecords.summary(retry.getError()), StepState.UP_FOR_RETRY, retryAt));
    leases.remove(run.runId(), stepKey);
    if (retryAt <= out.now()) {
      driver.issue(run, stepKey);
    } else {
      retries.add(new DueQueue.Due(run.runId(), stepKey, attempt, retryAt));
    }
    driver.saveOrEnd(run);
  }

  // The worker's retry policy allowed another attempt and the job snapshot's does not: the step
  // has failed, and a StepFailed says so, so that watchers and failure hooks see the failure.
  private void failForGood(ActiveRun run, StepEvent event, StepUpForRetry retry) {
    String stepKey = event.getStepKey();
    LOG.warn(
        "Run {}: step {} attempt {} was put up for retry, but its retry policy allows no more"
            + " attempts; the step has failed",
        run.runId(),
        stepKey,
        event.getAttempt());
    StepRecord step = run.step(stepKey);
    run.update(
        stepKey, step.failed(CoordinatorRecords.summary(retry.getError()), StepState.FAILED, 0));
    out.stepEvent(
        CoordinatorRecords.failed(
            run.plan(), stepKey, event.getAttempt(), retry.getError(), 0, out.now()));
    ended(run, stepKey);
  }

  private void ended(ActiveRun run, String stepKey) {
    leases.remove(run.runId(), stepKey);
    driver.stepEnded(run, stepKey);
    driver.saveOrEnd(run);
  }

  private void countLost(String errorType) {
    if (ErrorInfo.WORKER_LOST.equals(errorType)) {
      metrics.workerLost();
    }
  }

  private void stale(ActiveRun run, StepEvent event) {
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
    } else if (!(event.getPayload() instanceof StepHeartbeat)) {
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
