package io.opflow.ui.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.ui.internal.SnapshotCheck.Outcome;
import io.opflow.ui.internal.ViewSnapshotCodec.TopicOffsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** When a snapshot may stand for the event topics, and where reading goes on from. */
class SnapshotCheckTest {
  private static final TopicPartition EVENTS_0 = new TopicPartition("opflow.run-events", 0);
  private static final TopicPartition EVENTS_1 = new TopicPartition("opflow.run-events", 1);

  // Partition 0 keeps offsets 10 to 100; partition 1 appeared after the snapshot.
  private final SnapshotCheck check =
      new SnapshotCheck(
          Map.of("opflow.run-events", "id-1"),
          Map.of(EVENTS_0, 10L, EVENTS_1, 0L),
          Map.of(EVENTS_0, 100L, EVENTS_1, 5L));

  @Test
  void offsetsWithinThePartitionsAreWhereReadingGoesOn() {
    for (long offset : new long[] {10, 50, 100}) {
      Outcome outcome = check.check(snapshot("id-1", offset));

      assertThat(outcome.problem()).isEmpty();
      // A partition the snapshot does not know is read from its beginning: it has no position.
      assertThat(outcome.positions()).isEqualTo(Map.of(EVENTS_0, offset));
    }
  }

  @Test
  void anOffsetRetentionPassedOrPastTheEndMakesTheSnapshotUnusable() {
    assertThat(check.check(snapshot("id-1", 9)).problem())
        .hasValueSatisfying(p -> assertThat(p).contains("retention passed it"));
    assertThat(check.check(snapshot("id-1", 101)).problem())
        .hasValueSatisfying(p -> assertThat(p).contains("past the partition's end, 100"));
  }

  @Test
  void anotherTopicIdOrATopicThisUiDoesNotReadMakesTheSnapshotUnusable() {
    assertThat(check.check(snapshot("id-2", 50)).problem())
        .hasValueSatisfying(p -> assertThat(p).contains("another cluster"));
    assertThat(check.check(snapshot("", 50)).problem())
        .hasValueSatisfying(p -> assertThat(p).contains("the snapshot's has none"));
    assertThat(
            check
                .check(List.of(new TopicOffsets("other.run-events", "id-1", Map.of(0, 50L))))
                .problem())
        .hasValueSatisfying(p -> assertThat(p).contains("another topic prefix"));
  }

  @Test
  void aPartitionThatNoLongerExistsMakesTheSnapshotUnusable() {
    assertThat(
            check
                .check(List.of(new TopicOffsets("opflow.run-events", "id-1", Map.of(7, 1L))))
                .problem())
        .hasValueSatisfying(p -> assertThat(p).contains("no longer exists"));
  }

  private static List<TopicOffsets> snapshot(String topicId, long offset) {
    return List.of(new TopicOffsets("opflow.run-events", topicId, Map.of(0, offset)));
  }
}
