package io.opflow.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TaskPlacementTest {
  private static final long FRESH = 30_000;
  private static final TasksInFlight IDLE = new TasksInFlight(6);

  @Test
  void aTaskGoesWhereTheFewestStepsAreInFlight() {
    TaskPlacement placement = new TaskPlacement(4, FRESH);
    TasksInFlight inFlight = inFlight(3, 1, 2, 2);

    IntStream.range(0, 50)
        .forEach(i -> assertThat(placement.choose("run/step" + i, 0, inFlight)).isEqualTo(1));
  }

  @Test
  void tasksIssuedAtOnceSpreadEvenlyOverThePartitions() {
    TaskPlacement placement = new TaskPlacement(12, FRESH);
    TasksInFlight inFlight = new TasksInFlight(12);
    int[] issued = new int[12];
    for (int i = 0; i < 1280; i++) {
      int partition = placement.choose("run" + (i / 40) + "/s" + (i % 40), 0, inFlight);
      queueOne(inFlight, partition);
      issued[partition]++;
    }

    // Hashing 1,280 task keys would leave partitions about 10 tasks apart (a binomial's spread).
    assertThat(IntStream.of(issued).max().getAsInt() - IntStream.of(issued).min().getAsInt())
        .isLessThanOrEqualTo(1);
  }

  @Test
  void aLostWorkersPartitionStaysAvoidedHoweverIdle() {
    TaskPlacement placement = new TaskPlacement(3, FRESH);
    TasksInFlight inFlight = inFlight(0, 5, 5);
    placement.workerSeen("w1", 0, 0);
    placement.workerLost("w1", 10);

    assertThat(IntStream.range(0, 30).map(i -> placement.choose("k" + i, 20, inFlight)))
        .doesNotContain(0);
  }

  @Test
  void aTaskGoesToTheHashedPartitionWhileNoWorkerIsLost() {
    TaskPlacement placement = new TaskPlacement(6, FRESH);
    int hashed = placement.choose("run/a", 0, IDLE);
    placement.workerSeen("w1", hashed, 0);

    assertThat(placement.choose("run/a", 1, IDLE)).isEqualTo(hashed);
  }

  @Test
  void noTaskGoesToAPartitionLastSeenOnALostWorker() {
    TaskPlacement placement = new TaskPlacement(6, FRESH);
    placement.workerSeen("w1", 0, 0);
    placement.workerSeen("w1", 1, 0);
    IntStream.range(2, 6).forEach(p -> placement.workerSeen("w2", p, 0));
    placement.workerLost("w1", 10);

    IntStream.range(0, 200)
        .forEach(i -> assertThat(placement.choose("run/step" + i, 20, IDLE)).isBetween(2, 5));
  }

  @Test
  void aLostWorkerSeenAgainGetsItsPartitionsBack() {
    TaskPlacement placement = new TaskPlacement(2, FRESH);
    placement.workerSeen("w1", 0, 0);
    placement.workerSeen("w2", 1, 0);
    placement.workerLost("w1", 10);
    assertThat(IntStream.range(0, 50).map(i -> placement.choose("k" + i, 20, IDLE)))
        .containsOnly(1);

    placement.workerSeen("w1", 0, 30);
    assertThat(IntStream.range(0, 50).map(i -> placement.choose("k" + i, 40, IDLE))).contains(0, 1);
  }

  @Test
  void aPartitionTakenOverByALiveWorkerIsUsedAgain() {
    TaskPlacement placement = new TaskPlacement(2, FRESH);
    placement.workerSeen("w1", 0, 0);
    placement.workerLost("w1", 10);
    placement.workerSeen("w3", 0, 20);

    assertThat(IntStream.range(0, 50).map(i -> placement.choose("k" + i, 30, IDLE))).contains(0);
  }

  @Test
  void withOnlyTheLostWorkerKnownTasksGoToPartitionsOfNoKnownWorker() {
    TaskPlacement placement = new TaskPlacement(3, FRESH);
    placement.workerSeen("w1", 0, 0);
    placement.workerLost("w1", 10);

    assertThat(IntStream.range(0, 100).map(i -> placement.choose("k" + i, 20, IDLE)))
        .doesNotContain(0);
  }

  /** Returns an index with the given number of queued steps on each partition, in order. */
  private static TasksInFlight inFlight(int... queuedPerPartition) {
    TasksInFlight inFlight = new TasksInFlight(queuedPerPartition.length);
    for (int partition = 0; partition < queuedPerPartition.length; partition++) {
      for (int i = 0; i < queuedPerPartition[partition]; i++) {
        queueOne(inFlight, partition);
      }
    }
    return inFlight;
  }

  private static void queueOne(TasksInFlight inFlight, int partition) {
    inFlight.changed(StepRecord.PENDING, StepRecord.PENDING.queued(1, 0, partition));
  }
}
