package io.opflow.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TaskPlacementTest {
  private static final long FRESH = 30_000;

  @Test
  void aTaskGoesToTheHashedPartitionWhileNoWorkerIsLost() {
    TaskPlacement placement = new TaskPlacement(6, FRESH);
    int hashed = placement.choose("run/a", 0);
    placement.workerSeen("w1", hashed, 0);

    assertThat(placement.choose("run/a", 1)).isEqualTo(hashed);
  }

  @Test
  void noTaskGoesToAPartitionLastSeenOnALostWorker() {
    TaskPlacement placement = new TaskPlacement(6, FRESH);
    placement.workerSeen("w1", 0, 0);
    placement.workerSeen("w1", 1, 0);
    IntStream.range(2, 6).forEach(p -> placement.workerSeen("w2", p, 0));
    placement.workerLost("w1", 10);

    IntStream.range(0, 200)
        .forEach(i -> assertThat(placement.choose("run/step" + i, 20)).isBetween(2, 5));
  }

  @Test
  void aLostWorkerSeenAgainGetsItsPartitionsBack() {
    TaskPlacement placement = new TaskPlacement(2, FRESH);
    placement.workerSeen("w1", 0, 0);
    placement.workerSeen("w2", 1, 0);
    placement.workerLost("w1", 10);
    assertThat(IntStream.range(0, 50).map(i -> placement.choose("k" + i, 20))).containsOnly(1);

    placement.workerSeen("w1", 0, 30);
    assertThat(IntStream.range(0, 50).map(i -> placement.choose("k" + i, 40))).contains(0, 1);
  }

  @Test
  void aPartitionTakenOverByALiveWorkerIsUsedAgain() {
    TaskPlacement placement = new TaskPlacement(2, FRESH);
    placement.workerSeen("w1", 0, 0);
    placement.workerLost("w1", 10);
    placement.workerSeen("w3", 0, 20);

    assertThat(IntStream.range(0, 50).map(i -> placement.choose("k" + i, 30))).contains(0);
  }

  @Test
  void withOnlyTheLostWorkerKnownTasksGoToPartitionsOfNoKnownWorker() {
    TaskPlacement placement = new TaskPlacement(3, FRESH);
    placement.workerSeen("w1", 0, 0);
    placement.workerLost("w1", 10);

    assertThat(IntStream.range(0, 100).map(i -> placement.choose("k" + i, 20))).doesNotContain(0);
  }
}
