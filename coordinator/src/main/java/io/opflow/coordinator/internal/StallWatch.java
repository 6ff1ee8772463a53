package io.opflow.coordinator.internal;

import org.apache.kafka.streams.processor.Punctuator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that the stream thread itself was stalled, and then renews every lease of its task and
 * postpones its start deadlines; a lease probe read back late calls {@link #afterStall} too.
 *
 * <p>A lease probe reveals a stall only if it was sent before the stall began. The stream thread
 * can stop before any lease reaches its second half: a commit waits for a partition without a
 * leader (a Kafka node died), or the JVM pauses. When it runs again, the partitions have leaders
 * again, a probe sent now comes back promptly, and the heartbeats and results a live worker wrote
 * meanwhile may still be in that worker's producer, which learns of the new leader a little later.
 * This punctuation runs every punctuation interval; when it finds that it ran longer ago than the
 * slow threshold, the thread was stalled, and every lease is renewed from now, as for a probe read
 * back late. It runs in the same round as the lease punctuation, before any probe sent after the
 * stall can be read back, so no lease is judged on a prompt probe first.
 */
final class StallWatch implements Punctuator {
  private static final Logger LOG = LoggerFactory.getLogger(StallWatch.class);

  private final Outbox out;
  private final LeaseTable leases;
  private final DueQueue startDeadlines;
  private final CoordinatorMetrics metrics;
  private final long slowAfterMillis;
  private final long leaseMillis;
  private long lastRanAt;

  /**
   * Creates the watch of one stream task.
   *
   * @param out the task's clock
   * @param leases the task's leases
   * @param startDeadlines the task's start deadlines of queued steps
   * @param metrics where renewals are counted
   * @param slowAfterMillis a gap between two runs longer than this is a stall
   * @param leaseMillis how long a renewed lease lasts
   */
  StallWatch(
      Outbox out,
      LeaseTable leases,
      DueQueue startDeadlines,
      CoordinatorMetrics metrics,
      long slowAfterMillis,
      long leaseMillis) {
    this.out = out;
    this.leases = leases;
    this.startDeadlines = startDeadlines;
    this.metrics = metrics;
    this.slowAfterMillis = slowAfterMillis;
    this.leaseMillis = leaseMillis;
    this.lastRanAt = out.now();
  }

  @Override
  public void punctuate(long timestamp) {
    long now = out.now();
    long gap = now - lastRanAt;
    lastRanAt = now;
    if (gap <= slowAfterMillis) {
      return;
    }
    int extended = afterStall(now);
    if (extended > 0) {
      LOG.info(
          "This coordinator's stream thread was stalled for {} ms; {} running steps get a fresh"
              + " lease from now",
          gap,
          extended);
    }
  }

  /**
   * Gives every running step a fresh lease from {@code now}, and every queued step's start deadline
   * one lease from now at the earliest: heartbeats and StepStarted events written during a stall
   * may still be on their way.
   *
   * @return how many leases were renewed
   */
  int afterStall(long now) {
    int extended = leases.extendAllTo(now + leaseMillis);
    startDeadlines.postponeTo(now + leaseMillis);
    metrics.leasesRenewedAfterStall(extended);
    return extended;
  }
}
