package io.opflow.hooks.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the hooks-runner knows has fired for the step-events partitions it owns: the idempotency
 * keys with a hook event, and for each step attempt the step-events offset of the terminal event
 * its hooks reacted to. Rebuilt from {@code hook-events} when a partition is assigned.
 */
final class HookLedger {
  /** Offset recorded for an attempt whose hook events carry no source offset. */
  static final long UNKNOWN_OFFSET = -1;

  private final Set<String> firedKeys = new HashSet<>();
  private final Map<String, Long> attemptOffsets = new HashMap<>();

  static String attemptKey(String runId, String stepKey, int attempt) {
    return runId + "/" + stepKey + "/" + attempt;
  }

  /** Records a hook event read back or just written. */
  void recordFired(String idempotencyKey, String attemptKey, long sourceOffset) {
    firedKeys.add(idempotencyKey);
    attemptOffsets.putIfAbsent(attemptKey, sourceOffset);
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
