package io.opflow.coordinator.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Times at which something is due for a step attempt of one stream task, in memory: the retries of
 * up-for-retry steps, and the start deadlines of queued steps. Rebuilt from the stored steps on
 * restore. An entry may be stale (the step moved on, the run ended): whoever takes it checks the
 * stored step first.
 */
final class DueQueue {

  /**
   * One step attempt due.
   *
   * @param runId the run
   * @param stepKey the step
   * @param attempt the attempt concerned
   * @param dueAt when it is due, epoch millis
   */
  record Due(String runId, String stepKey, int attempt, long dueAt) {}

  private final PriorityQueue<Due> queue =
      new PriorityQueue<>(Comparator.comparingLong(Due::dueAt));

  void add(Due due) {
    queue.add(due);
  }

  /** Removes and returns the retries due at or before {@code now}, earliest first. */
  List<Due> takeDue(long now) {
    List<Due> due = new ArrayList<>();
    while (!queue.isEmpty() && queue.peek().dueAt() <= now) {
      due.add(queue.poll());
    }
    return due;
  }

  int size() {
    return queue.size();
  }
}
