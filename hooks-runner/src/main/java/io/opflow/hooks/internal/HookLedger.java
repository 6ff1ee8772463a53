package io.opflow.hooks.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the hooks-runner knows has fired for the step-events partitions it owns: the idempotency
 * keys whose call has its last hook event, the calls still being tried again (how many tries so
 * far, when the next is due), and for each step attempt the step-events offset of the terminal
 * event its hooks reacted to. Rebuilt from {@code hook-events} when a partition is assigned.
 */
final class HookLedger {
  /** Offset recorded for an attempt whose hook events carry no source offset. */
  static final long UNKNOWN_OFFSET = -1;

  private final Set<String> firedKeys = new HashSet<>();
  private final Map<String, Pending> pendingTries = new HashMap<>();

  /**
   * A hook call that errored and will be tried again.
   *
   * @param tries the tries so far
   * @param nextTryAt when the next try is due
   */
  record Pending(int tries, Instant nextTryAt) {}

  private final Map<String, Long> attemptOffsets = new HashMap<>();

  static String attemptKey(String runId, String stepKey, int attempt) {
    return runId + "/" + stepKey + "/" + attempt;
  }

  /** Records the last hook event of a call, read back or just written. */
  void recordFired(String idempotencyKey, String attemptKey, long sourceOffset) {
    firedKeys.add(idempotencyKey);
    pendingTries.remove(idempotencyKey);
    attemptOffsets.putIfAbsent(attemptKey, sourceOffset);
  }

  /** Records a try of a call that will be tried again, read back or just written. */
  void recordTry(
      String idempotencyKey, String attemptKey, long sourceOffset, int tryNumber, Instant next) {
    attemptOffsets.putIfAbsent(attemptKey, sourceOffset);
    if (!firedKeys.contains(idempotencyKey)) {
      pendingTries.merge(
          idempotencyKey,
          new Pending(tryNumber, next),
          (had, now) -> had.tries() >= now.tries() ? had : now);
    }
  }

  /** Returns the tries of a call still being tried again, or null. */
  Pending pending(String idempotencyKey) {
    return pendingTries.get(idempotencyKey);
  }

  /**
   * Claims an attempt for the terminal event at {@code offset}: true when no other terminal event
   * of the attempt was handled (a first delivery, or a redelivery of the same record).
   */
  boolean claim(String attemptKey, long offset) {
    Long handledBy = attemptOffsets.putIfAbsent(attemptKey, offset);
    return handledBy == null || handledBy == offset;
  }

  boolean hasFired(String idempotencyKey) {
    return firedKeys.contains(idempotencyKey);
  }
}
