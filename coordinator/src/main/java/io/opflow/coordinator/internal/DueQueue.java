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

  /**
   * Moves every entry due before {@code at} to {@code at}: what a stall calls for, since the record
   * that would have made an entry stale (a StepStarted) may have been held up meanwhile.
   *
   * @return how many entries moved
   */
  int postponeTo(long at) {
    List<Due> early = new ArrayList<>();
    while (!queue.isEmpty() && queue.peek().dueAt() < at) {
      early.add(queue.poll());
    }
    early.forEach(due -> queue.add(new Due(due.runId(), due.stepKey(), due.attempt(), at)));
    return early.size();
  }

  int size() {
    return queue.size();
  }
}
