package io.opflow.coordinator.internal;

import io.opflow.core.lifecycle.StepState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a stream task's in-memory leases, start deadlines, retry times and count of tasks in
 * flight per partition ({@link TasksInFlight}) from its stored steps, once its stores are restored.
 * A running step gets a lease counted from now: its worker's heartbeats renew it, and a worker that
 * died while the coordinator was away is declared lost one lease later. A queued step keeps the
 * start deadline counted from when its task was issued.
 */
final class TimerRestore {
  private static final Logger LOG = LoggerFactory.getLogger(TimerRestore.class);

  private final RunStore store;
  private final LeaseTable leases;
  private final DueQueue retries;
  private final DueQueue startDeadlines;

  TimerRestore(RunStore store, LeaseTable leases, DueQueue retries, DueQueue startDeadlines) {
    this.store = store;
    this.leases = leases;
    this.retries = retries;
    this.startDeadlines = startDeadlines;
  }

  void restore(long now, TimeSettings timing) {
    long leaseMillis = timing.leaseMillis();
    store.forEachStep(
        (stepId, step) -> {
          String runId = StepIds.runId(stepId);
          String stepKey = StepIds.stepKey(stepId);
          store.tasksInFlight().restored(step);
          if (step.state() == StepState.RUNNING) {
            leases.renew(
                runId,
                stepKey,
                step.attempt(),
                step.taskPartition(),
                step.workerId(),
                now,
                now + leaseMillis);
          } else if (step.state() == StepState.UP_FOR_RETRY) {
            retries.add(new DueQueue.Due(runId, stepKey, step.attempt(), step.retryAt()));
          } else if (step.state() == StepState.QUEUED) {
            long deadline = step.issuedAt() + timing.startTimeoutMillis();
            startDeadlines.add(new DueQueue.Due(runId, stepKey, step.attempt(), deadline));
          }
        });
    if (leases.size() + retries.size() + startDeadlines.size() > 0) {
      LOG.info(
          "Restored {} running step leases, {} queued steps and {} pending retries",
          leases.size(),
          startDeadlines.size(),
          retries.size());
    }
  }
}
