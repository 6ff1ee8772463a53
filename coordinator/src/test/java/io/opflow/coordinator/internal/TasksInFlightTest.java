package io.opflow.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.core.lifecycle.StepState;
import java.util.List;
import org.junit.jupiter.api.Test;

class TasksInFlightTest {
  private final TasksInFlight inFlight = new TasksInFlight(3);

  @Test
  void aStepCountsOnItsPartitionFromQueuedUntilItEnds() {
    StepRecord queued = StepRecord.PENDING.queued(1, 0, 2);
    inFlight.changed(StepRecord.PENDING, queued);
    assertThat(inFlight.on(2)).isEqualTo(1);

    StepRecord running = queued.running("w1");
    inFlight.changed(queued, running);
    assertThat(inFlight.on(2)).isEqualTo(1);

    inFlight.changed(running, running.succeeded(List.of(), true));
    assertThat(inFlight.on(2)).isZero();
  }

  @Test
  void aRetryIsNotInFlightUntilItsTaskIsIssuedAgainAndCountsWhereThatTaskGoes() {
    StepRecord running = StepRecord.PENDING.queued(1, 0, 0).running("w1");
    inFlight.changed(StepRecord.PENDING, running);

    StepRecord upForRetry = running.failed("boom", StepState.UP_FOR_RETRY, 100);
    inFlight.changed(running, upForRetry);
    assertThat(inFlight.on(0)).isZero();

    inFlight.changed(upForRetry, upForRetry.queued(2, 100, 1));
    assertThat(inFlight.on(0)).isZero();
    assertThat(inFlight.on(1)).isEqualTo(1);
  }

  @Test
  void aRequeuedStepMovesToItsNewPartition() {
    StepRecord running = StepRecord.PENDING.queued(1, 0, 0).running("w1");
    inFlight.changed(StepRecord.PENDING, running);

    inFlight.changed(running, running.requeued(10, 2));

    assertThat(inFlight.on(0)).isZero();
    assertThat(inFlight.on(2)).isEqualTo(1);
  }

  @Test
  void restoredStepsCountOnlyWhenQueuedOrRunning() {
    inFlight.restored(StepRecord.PENDING.queued(1, 0, 1));
    inFlight.restored(StepRecord.PENDING.queued(1, 0, 1).running("w1"));
    inFlight.restored(StepRecord.PENDING.queued(1, 0, 1).moveTo(StepState.CANCELED));
    inFlight.restored(StepRecord.PENDING);

    assertThat(inFlight.on(1)).isEqualTo(2);
    assertThat(inFlight.on(0)).isZero();
  }

  @Test
  void aCountNeverGoesBelowZero() {
    StepRecord running = StepRecord.PENDING.queued(1, 0, 1).running("w1");
    inFlight.changed(running, running.succeeded(List.of(), true));

    assertThat(inFlight.on(1)).isZero();
  }
}
