package io.opflow.coordinator.internal;

import io.opflow.core.lifecycle.StepState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a stream task's in-memory leases and retry times from its stored steps, once its stores
 * are restored. A running step gets a lease counted from now: its worker's heartbeats renew it, and
 * a worker that died while the coordinator was away is declared lost one lease later. A queued step
 * has no lease until a worker starts it.
 */
final class TimerRestore {
  private static final Logger LOG = LoggerFactory.getLogger(TimerRestore.class);

  private final RunStore store;
  private final LeaseTable leases;
  private final RetryQueue retries;

  TimerRestore(RunStore store, LeaseTable leases, RetryQueue retries) {
    this.store = store;
    this.leases = leases;
    this.retries = retries;
  }

  void restore(long now, long leaseMillis) {
    store.forEachStep(
        (stepId, step) -> {
          String runId = StepIds.runId(stepId);
          String stepKey = StepIds.stepKey(stepId);
          if (step.state() == StepState.RUNNING) {
            leases.renew(runId, stepKey, step.attempt(), step.workerId(), now, now + leaseMillis);
          } else if (step.state() == StepState.UP_FOR_RETRY) {
            retries.add(new RetryQueue.Due(runId, stepKey, step.attempt(), step.retryAt()));
          }
        });
    if (leases.size() + retries.size() > 0) {
      LOG.info(
          "Restored {} running step leases and {} pending retries", leases.size(), retries.size());
    }
  }
}
