package io.opflow.coordinator.internal;

import java.util.UUID;

/**
 * How a stream task learns that it has read everything written to its {@code step-events} partition
 * before a moment, so that it judges a lease only on complete information.
 *
 * <p>The task writes a probe (a record with no value, stamped with its own clock) to the partition
 * and reads it back: every record the partition held before the probe was read before it. A probe
 * read back promptly proves that the partition was read up to its stamp. A probe read back late
 * proves the opposite: the partition, the broker leading it or the coordinator itself was stalled,
 * and heartbeats written meanwhile may still be on their way (a worker's producer retries them once
 * the partition has a leader again). The task then renews every lease from the moment of reading,
 * so no live worker is declared lost because Kafka or the coordinator was away.
 *
 * <p>Only probes of this instance count: after a restart or a move the task restores fresh leases
 * anyway, and probes of an earlier incarnation, stamped by another clock, are ignored.
 */
final class LeaseProbes {

  /** What reading a probe back taught. */
  enum Reading {
    /** Read back within the slow threshold: the partition was read up to its stamp. */
    PROMPT,
    /** Read back later than the threshold: the partition or the coordinator was stalled. */
    SLOW,
    /** Written by another incarnation of the task, or unreadable: it says nothing. */
    FOREIGN
  }

  private static final char SEPARATOR = '@';

  private final String sender = UUID.randomUUID().toString();
  private final long slowAfterMillis;
  private final long minIntervalMillis;
  private long lastSentAt = Long.MIN_VALUE;
  private long readPastUntil = Long.MIN_VALUE;

  /**
   * Creates the probes of one stream task.
   *
   * @param slowAfterMillis a probe read back later than this after it was sent is slow
   * @param minIntervalMillis at most one probe is sent per this interval
   */
  LeaseProbes(long slowAfterMillis, long minIntervalMillis) {
    this.slowAfterMillis = slowAfterMillis;
    this.minIntervalMillis = minIntervalMillis;
  }

  /**
   * Sends a probe stamped {@code now}, unless one was sent less than the minimum interval ago.
   *
   * @param out where to send it
   * @param runId a run of this task, whose key puts the probe in the task's partition
   */
  void send(Outbox out, String runId) {
    long now = out.now();
    if (lastSentAt != Long.MIN_VALUE && now - lastSentAt < minIntervalMillis) {
      return;
    }
    lastSentAt = now;
    out.leaseProbe(runId, sender + SEPARATOR + now);
  }

  /**
   * Takes in a probe read back from the partition.
   *
   * @param probe the probe's header value
   * @param now when it was read, by this coordinator's clock
   * @return what it taught
   */
  Reading read(String probe, long now) {
    int at = probe == null ? -1 : probe.lastIndexOf(SEPARATOR);
    if (at < 0 || !probe.substring(0, at).equals(sender)) {
      return Reading.FOREIGN;
    }
    long sentAt;
    try {
      sentAt = Long.parseLong(probe.substring(at + 1));
    } catch (NumberFormatException e) {
      return Reading.FOREIGN;
    }
    if (now - sentAt > slowAfterMillis) {
      return Reading.SLOW;
    }
    readPastUntil = Math.max(readPastUntil, sentAt);
    return Reading.PROMPT;
  }

  /**
   * Returns whether every step event written to the partition before {@code time} has been read: a
   * probe sent at or after it came back promptly.
   */
  boolean hasReadPast(long time) {
    return readPastUntil >= time;
  }
}
