package io.opflow.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);

  @Test
  void commitsNothingWhileTheFirstTakenRecordIsNotDone() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.taken(P0, 10);
    tracker.taken(P0, 11);
    tracker.done(P0, 11);

    assertEquals(Map.of(P0, new OffsetAndMetadata(10)), tracker.committable());
    assertEquals(1, tracker.inFlight(P0));
  }

  @Test
  void advancesPastEveryRecordDoneInAnyOrder() {
    OffsetTracker tracker = new OffsetTracker();
    List.of(5L, 6L, 7L).forEach(offset -> tracker.taken(P0, offset));
    tracker.done(P0, 7);
    tracker.done(P0, 5);
    assertEquals(Map.of(P0, new OffsetAndMetadata(6)), tracker.committable());

    tracker.done(P0, 6);
    assertEquals(Map.of(P0, new OffsetAndMetadata(8)), tracker.committable());
    assertEquals(0, tracker.inFlight(P0));
  }

  @Test
  void returnsOnlyPositionsThatMovedSinceTheLastCall() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.taken(P0, 0);
    tracker.taken(P1, 0);
    tracker.done(P0, 0);
    tracker.done(P1, 0);
    assertEquals(2, tracker.committable().size());

    tracker.taken(P1, 1);
    tracker.done(P1, 1);
    assertEquals(Map.of(P1, new OffsetAndMetadata(2)), tracker.committable());
    assertTrue(tracker.committable().isEmpty());
  }

  @Test
  void ignoresRecordsOfForgottenPartitions() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.taken(P0, 3);
    tracker.forget(List.of(P0));
    tracker.done(P0, 3);

    assertTrue(tracker.committable().isEmpty());
    assertEquals(0, tracker.inFlight(P0));
  }

  @Test
  void returnsEveryPositionAgainAfterForgettingWhatItReturned() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.taken(P0, 4);
    tracker.done(P0, 4);
    tracker.taken(P1, 9);
    assertEquals(
        Map.of(P0, new OffsetAndMetadata(5), P1, new OffsetAndMetadata(9)), tracker.committable());
    assertEquals(Map.of(), tracker.committable());

    tracker.forgetReturned();

    assertEquals(
        Map.of(P0, new OffsetAndMetadata(5), P1, new OffsetAndMetadata(9)), tracker.committable());
  }
}
