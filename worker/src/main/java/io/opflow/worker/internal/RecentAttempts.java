package io.opflow.worker.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The step attempts this worker started most recently, so that a task redelivered for one of them
 * (after a rebalance that came before its offset was committed, or a coordinator that issued the
 * same attempt again) is not run a second time. Bounded: the least recently seen attempt is
 * forgotten first, so memory stays flat however long the worker runs. Only the poll thread uses it.
 */
final class RecentAttempts {

  /** One step attempt: {@code (runId, stepKey, attempt)}. */
  record Attempt(String runId, String stepKey, int attempt) {}

  private final Map<Attempt, Boolean> seen;

  /** Creates a set that remembers at most {@code capacity} attempts. */
  RecentAttempts(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    // Access order: a duplicate refreshes its entry, so an attempt redelivered again and again is
    // the last to be forgotten.
    this.seen =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Attempt, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /**
   * Records that {@code attempt} starts here.
   *
   * @return true if it is new, false if this worker started it already
   */
  synchronized boolean firstStart(Attempt attempt) {
    return seen.put(attempt, Boolean.TRUE) == null;
  }

  /** Returns how many attempts are remembered. */
  synchronized int size() {
    return seen.size();
  }
}
