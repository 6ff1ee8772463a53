package io.opflow.coordinator.internal;

import io.opflow.core.ErrorInfo;
import io.opflow.core.RetryPolicy;
import io.opflow.core.lifecycle.StepState;
import io.opflow.core.plan.RunProgress;
import io.opflow.core.plan.StepProgress;
import io.opflow.events.StepEvent;
import java.time.Instant;
import java.util.Map;
import java.util.function.LongPredicate;
import org.apache.kafka.streams.processor.Punctuator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds running attempts whose lease expired and publishes a {@code WorkerLost} verdict to {@code
 * step-events}: {@code StepUpForRetry} when the step's retry policy allows it, else a final {@code
 * StepFailed}. The verdict is applied only when read back, so a worker result already ahead of it
 * in the partition wins; a flag keeps the verdict from being published twice.
 */
final class LeaseExpiryPunctuation implements Punctuator {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseExpiryPunctuation.class);

  private final RunStore store;
  private final Outbox out;
  private final LongPredicate hasReadPast;

  /**
   * Creates the punctuation.
   *
   * @param hasReadPast whether every step event written before a time has been processed; a lease
   *     is judged only then, so heartbeats still waiting in the input do not count as missing
   */
  LeaseExpiryPunctuation(RunStore store, Outbox out, LongPredicate hasReadPast) {
    this.store = store;
    this.out = out;
    this.hasReadPast = hasReadPast;
  }

  @Override
  public void punctuate(long timestamp) {
    long now = out.now();
    for (RunState run : store.due(now)) {
      if (publishVerdicts(run, run.progress(), now)) {
        store.save(run);
      }
    }
  }

  private boolean publishVerdicts(RunState run, RunProgress progress, long now) {
    boolean changed = false;
    for (Map.Entry<String, RunState.Lease> entry : run.leases().entrySet()) {
      String step = entry.getKey();
      RunState.Lease lease = entry.getValue();
      if (lease.expiresAt() < now
          && hasReadPast.test(lease.expiresAt())
          && isLost(run, progress.step(step), step, lease)) {
        out.stepEvent(verdict(run, progress, step, lease, now));
        run.markVerdictPublished(step, lease.attempt());
        changed = true;
      }
    }
    return changed;
  }

  private static boolean isLost(RunState run, StepProgress step, String key, RunState.Lease lease) {
    return step.state() == StepState.RUNNING
        && step.attempt() == lease.attempt()
        && !run.verdictPublished(key, lease.attempt());
  }

  private static StepEvent verdict(
      RunState run, RunProgress progress, String step, RunState.Lease lease, long now) {
    RetryPolicy policy = progress.plan().step(step).retryPolicy();
    int attempt = lease.attempt();
    boolean retry =
        policy.isRetriableTypeName(ErrorInfo.WORKER_LOST) && policy.allowsAnotherAttempt(attempt);
    String message =
        "worker "
            + lease.workerId()
            + " stopped heartbeating; lease expired at "
            + Instant.ofEpochMilli(lease.expiresAt());
    LOG.warn("Run {}: step {} attempt {}: {}", run.runId(), step, attempt, message);
    io.opflow.events.ErrorInfo error = Events.workerLost(message, retry);
    if (retry) {
      long retryAt = now + policy.delayBeforeRetry(attempt).toMillis();
      return Events.upForRetry(run, step, attempt, error, retryAt, now);
    }
    return Events.failed(run, step, attempt, error, now - lease.startedAt(), now);
  }
}
