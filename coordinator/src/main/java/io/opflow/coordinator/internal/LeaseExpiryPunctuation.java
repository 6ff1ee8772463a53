package io.opflow.coordinator.internal;

import io.opflow.core.ErrorInfo;
import java.time.Instant;
import org.apache.kafka.streams.processor.Punctuator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds running attempts whose lease expired and publishes a {@code WorkerLost} verdict to {@code
 * step-events}: {@code StepUpForRetry} when the step's retry policy allows it, else a final {@code
 * StepFailed}. A chained attempt its worker never announced gets no verdict: it is issued again as
 * a task under the same number. A lease is judged only once a {@link LeaseProbes probe} sent after
 * its end has come back promptly, so heartbeats still waiting in the input, or held up by a
 * partition without a leader, never count as missing; probes go out while any lease is in its
 * second half. The verdict is applied only when read back, so a worker result already ahead of it
 * in the partition wins; a flag on the in-memory lease keeps it from being published twice.
 */
final class LeaseExpiryPunctuation implements Punctuator {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseExpiryPunctuation.class);

  private final RunStore store;
  private final Outbox out;
  private final LeaseTable leases;
  private final LeaseProbes probes;
  private final TaskPlacement placement;
  private final RunDriver driver;
  private final long halfLeaseMillis;

  LeaseExpiryPunctuation(
      RunStore store,
      Outbox out,
      LeaseTable leases,
      LeaseProbes probes,
      TaskPlacement placement,
      RunDriver driver,
      long leaseMillis) {
    this.driver = driver;
    this.store = store;
    this.out = out;
    this.leases = leases;
    this.probes = probes;
    this.placement = placement;
    this.halfLeaseMillis = leaseMillis / 2;
  }

  @Override
  public void punctuate(long timestamp) {
    long now = out.now();
    String unsure = null;
    for (LeaseTable.Lease lease : leases.endingBefore(now + halfLeaseMillis)) {
      if (lease.expiresAt() < now && probes.hasReadPast(lease.expiresAt())) {
        judge(lease, now);
      } else {
        unsure = lease.runId();
      }
    }
    if (unsure != null) {
      probes.send(out, unsure);
    }
  }

  private void judge(LeaseTable.Lease lease, long now) {
    PlanIndex plan = store.plan(lease.runId());
    if (plan == null
        || !store.step(lease.runId(), lease.stepKey()).awaitsResultOf(lease.attempt())) {
      leases.remove(lease.runId(), lease.stepKey());
      return;
    }
    // Its partitions are read by no one until the group notices: send no task there meanwhile.
    placement.workerLost(lease.workerId(), now);
    if (!lease.announced()) {
      reissue(lease);
      return;
    }
    publishVerdict(plan, lease, now);
    leases.markVerdictPublished(lease);
  }

  // Applied at once, not when read back like a verdict: a result of this attempt that arrives
  // later is still taken, as the attempt keeps its number.
  private void reissue(LeaseTable.Lease lease) {
    String worker = lease.workerId() == null ? "the worker" : "worker " + lease.workerId();
    LOG.warn(
        "Run {}: step {} attempt {}: {} did not announce this chained step within its lease"
            + " (it starts one only once the success before it was written within half a lease);"
            + " issuing the attempt again as a task, not counted as a retry",
        lease.runId(),
        lease.stepKey(),
        lease.attempt(),
        worker);
    ActiveRun run = ActiveRun.load(store, lease.runId());
    driver.reissueUnannounced(run, lease.stepKey());
    driver.saveOrEnd(run);
  }

  private void publishVerdict(PlanIndex plan, LeaseTable.Lease lease, long now) {
    String worker = lease.workerId() == null ? "the worker" : "worker " + lease.workerId();
    String expired = "lease expired at " + Instant.ofEpochMilli(lease.expiresAt());
    String message = worker + " stopped heartbeating; " + expired;
    LOG.warn(
        "Run {}: step {} attempt {}: {}", plan.runId(), lease.stepKey(), lease.attempt(), message);
    out.stepEvent(
        Verdicts.attemptLost(
            plan,
            lease.stepKey(),
            lease.attempt(),
            ErrorInfo.WORKER_LOST,
            message,
            now - lease.startedAt(),
            now));
  }
}
