package io.opflow.coordinator.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The leases of the running attempts of one stream task, in memory only. Heartbeats change nothing
 * stored: they only move a lease end here. A restarted or moved task rebuilds the table from the
 * steps stored as running, each with a fresh lease counted from the restore, so a worker is never
 * declared lost because the coordinator was away; a worker that really died is declared lost one
 * lease after the restore.
 */
final class LeaseTable {

  /**
   * The lease of a running attempt.
   *
   * @param runId the run
   * @param stepKey the step
   * @param attempt the attempt holding it
   * @param taskPartition the step-tasks partition its task was read from, or -1
   * @param workerId the worker running it, or null when restored without one
   * @param startedAt when the coordinator first saw the attempt run, epoch millis
   * @param expiresAt when it expires, epoch millis
   * @param verdictPublished whether a lost-worker verdict has been published for it
   * @param announced whether the worker has announced the attempt (a StepStarted or heartbeat was
   *     read); false for a chained step the coordinator expects its worker to start
   */
  record Lease(
      String runId,
      String stepKey,
      int attempt,
      int taskPartition,
      String workerId,
      long startedAt,
      long expiresAt,
      boolean verdictPublished,
      boolean announced) {

    Lease renewedUntil(long end, String worker, boolean byWorker) {
      return new Lease(
          runId,
          stepKey,
          attempt,
          taskPartition,
          worker,
          startedAt,
          Math.max(end, expiresAt),
          false,
          announced || byWorker);
    }

    Lease withVerdict() {
      return new Lease(
          runId, stepKey, attempt, taskPartition, workerId, startedAt, expiresAt, true, announced);
    }
  }

  private final Map<String, Lease> leases = new HashMap<>();

  /** Records a start or heartbeat of an attempt; a lease only ever moves later. */
  Lease renew(
      String runId,
      String stepKey,
      int attempt,
      int taskPartition,
      String workerId,
      long now,
      long end) {
    String id = StepIds.of(runId, stepKey);
    Lease old = leases.get(id);
    Lease renewed =
        old != null && old.attempt() == attempt
            ? old.renewedUntil(end, workerId, true)
            : new Lease(runId, stepKey, attempt, taskPartition, workerId, now, end, false, true);
    leases.put(id, renewed);
    return renewed;
  }

  /**
   * Gives a chained step's first attempt a lease before its worker announced it: the worker that
   * ran the step before it starts it, unless the success it chained from was written too late.
   */
  void expectChained(
      String runId, String stepKey, int taskPartition, String workerId, long now, long end) {
    leases.put(
        StepIds.of(runId, stepKey),
        new Lease(runId, stepKey, 1, taskPartition, workerId, now, end, false, false));
  }

  Lease get(String runId, String stepKey) {
    return leases.get(StepIds.of(runId, stepKey));
  }

  void markVerdictPublished(Lease lease) {
    leases.put(StepIds.of(lease.runId(), lease.stepKey()), lease.withVerdict());
  }

  void remove(String runId, String stepKey) {
    leases.remove(StepIds.of(runId, stepKey));
  }

  /** Returns the leases that end before {@code time} and have no verdict yet. */
  List<Lease> endingBefore(long time) {
    List<Lease> ending = new ArrayList<>();
    for (Lease lease : leases.values()) {
      if (!lease.verdictPublished() && lease.expiresAt() < time) {
        ending.add(lease);
      }
    }
    return ending;
  }

  /**
   * Moves every lease without a verdict to end no earlier than {@code end}: what a stall of the
   * partition or the coordinator calls for, since heartbeats may have been held up meanwhile.
   *
   * @return how many leases moved
   */
  int extendAllTo(long end) {
    int extended = 0;
    for (Map.Entry<String, Lease> entry : leases.entrySet()) {
      Lease lease = entry.getValue();
      if (!lease.verdictPublished() && lease.expiresAt() < end) {
        entry.setValue(lease.renewedUntil(end, lease.workerId(), false));
        extended++;
      }
    }
    return extended;
  }

  int size() {
    return leases.size();
  }
}
