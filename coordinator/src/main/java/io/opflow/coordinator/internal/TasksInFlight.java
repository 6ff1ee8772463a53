package io.opflow.coordinator.internal;

import io.opflow.core.lifecycle.StepState;

/**
 * How many steps of one stream task are queued or running on each {@code step-tasks} partition: the
 * work waiting for, or held by, the worker that reads the partition. {@link TaskPlacement} sends a
 * new task where the least is in flight, so that a worker whose partitions happen to hash more
 * tasks, or whose ops run slower, is not handed a longer queue while another worker idles.
 *
 * <p>An index of the stored step records, kept in memory: {@link ActiveRun#update} reports every
 * change of a step, and {@link TimerRestore} counts the stored steps again when the stream task is
 * (re)initialized, so it never outlives or misses a record. Only this stream task's steps count;
 * the stream tasks of a coordinator each balance their own, which balances the sum. Used on the
 * stream thread only.
 */
final class TasksInFlight {
  private final int[] counts;

  /**
   * Creates an empty index.
   *
   * @param partitions the partition count of {@code step-tasks}
   */
  TasksInFlight(int partitions) {
    this.counts = new int[partitions];
  }

  /** Counts a stored step found on restore. */
  void restored(StepRecord step) {
    add(step, 1);
  }

  /** Moves a step's count from where its previous record held it to where its new one does. */
  void changed(StepRecord previous, StepRecord next) {
    add(previous, -1);
    add(next, 1);
  }

  /** Returns the number of this stream task's steps queued or running on a partition. */
  int on(int partition) {
    return partition >= 0 && partition < counts.length ? counts[partition] : 0;
  }

  private void add(StepRecord step, int delta) {
    if (inFlight(step) && step.taskPartition() < counts.length) {
      counts[step.taskPartition()] = Math.max(0, counts[step.taskPartition()] + delta);
    }
  }

  private static boolean inFlight(StepRecord step) {
    return (step.state() == StepState.QUEUED || step.state() == StepState.RUNNING)
        && step.taskPartition() >= 0;
  }
}
