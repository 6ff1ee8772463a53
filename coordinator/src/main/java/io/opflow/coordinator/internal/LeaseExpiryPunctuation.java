package io.opflow.coordinator.internal;

import io.opflow.core.ErrorInfo;
import io.opflow.events.StepEvent;
import java.time.Instant;
import java.util.function.LongPredicate;
import org.apache.kafka.streams.processor.Punctuator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds running attempts whose lease expired and publishes a {@code WorkerLost} verdict to {@code
 * step-events}: {@code StepUpForRetry} when the step's retry policy allows it, else a final {@code
 * StepFailed}. The verdict is applied only when read back, so a worker result already ahead of it
 * in the partition wins; a flag on the in-memory lease keeps it from being published twice.
 */
final class LeaseExpiryPunctuation implements Punctuator {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseExpiryPunctuation.class);

  private final RunStore store;
  private final Outbox out;
  private final LeaseTable leases;
  private final LongPredicate hasReadPast;
  private final TaskPlacement placement;

  /**
   * Creates the punctuation.
   *
   * @param hasReadPast whether every step event written before a time has been processed; a lease
   *     is judged only then, so heartbeats still waiting in the input do not count as missing
   */
  LeaseExpiryPunctuation(
      RunStore store,
      Outbox out,
      LeaseTable leases,
      LongPredicate hasReadPast,
      TaskPlacement placement) {
    this.store = store;
    this.out = out;
    this.leases = leases;
    this.hasReadPast = hasReadPast;
    this.placement = placement;
  }

  @Override
  public void punctuate(long timestamp) {
    long now = out.now();
    for (LeaseTable.Lease lease : leases.expiredBefore(now)) {
      if (hasReadPast.test(lease.expiresAt())) {
        judge(lease, now);
      }
    }
  }

  private void judge(LeaseTable.Lease lease, long now) {
    PlanIndex plan = store.plan(lease.runId());
    if (plan == null
        || !store.step(lease.runId(), lease.stepKey()).awaitsResultOf(lease.attempt())) {
      leases.remove(lease.runId(), lease.stepKey());
      return;
    }
    out.stepEvent(verdict(plan, lease, now));
    leases.markVerdictPublished(lease);
    // Its partitions are read by no one until the group notices: send no task there meanwhile.
    placement.workerLost(lease.workerId(), now);
  }

  private static StepEvent verdict(PlanIndex plan, LeaseTable.Lease lease, long now) {
    String worker = lease.workerId() == null ? "the worker" : "worker " + lease.workerId();
    String message =
        worker
            + " stopped heartbeating; lease expired at "
            + Instant.ofEpochMilli(lease.expiresAt());
    LOG.warn(
        "Run {}: step {} attempt {}: {}", plan.runId(), lease.stepKey(), lease.attempt(), message);
    return Verdicts.attemptLost(
        plan,
        lease.stepKey(),
        lease.attempt(),
        ErrorInfo.WORKER_LOST,
        message,
        now - lease.startedAt(),
        now);
  }
}
