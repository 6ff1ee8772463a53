package io.opflow.ui.internal;

import io.opflow.ui.internal.ViewSnapshotCodec.TopicOffsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether a snapshot may stand for what the UI would read from the event topics: the same topics
 * (by the id Kafka gave each when it was created, which differs on another cluster and for a topic
 * deleted and created again), and every offset still within its partition's records. If so, where
 * to read on from: the snapshot's offsets, and the beginning of partitions it does not know (a
 * topic that appeared, a partition added since).
 */
final class SnapshotCheck {
  private final Map<String, String> topicIds;
  private final Map<TopicPartition, Long> beginnings;
  private final Map<TopicPartition, Long> ends;

  /**
   * Creates a check against what the cluster says now.
   *
   * @param topicIds each event topic that exists, with its id
   * @param beginnings each partition's first offset kept
   * @param ends each partition's end (its last stable offset, reading committed records only)
   */
  SnapshotCheck(
      Map<String, String> topicIds,
      Map<TopicPartition, Long> beginnings,
      Map<TopicPartition, Long> ends) {
    this.topicIds = topicIds;
    this.beginnings = beginnings;
    this.ends = ends;
  }

  /**
   * The outcome: where to read on from, or why the snapshot cannot be used.
   *
   * @param positions the snapshot's offsets, for the partitions it knows
   * @param problem why the snapshot cannot be used, if it cannot
   */
  record Outcome(Map<TopicPartition, Long> positions, Optional<String> problem) {
    static Outcome unusable(String problem) {
      return new Outcome(Map.of(), Optional.of(problem));
    }
  }

  /** Checks the snapshot's topics and offsets. */
  Outcome check(List<TopicOffsets> snapshot) {
    Map<TopicPartition, Long> positions = new HashMap<>();
    for (TopicOffsets topic : snapshot) {
      Optional<String> problem = topicProblem(topic);
      if (problem.isPresent()) {
        return Outcome.unusable(problem.get());
      }
      for (Map.Entry<Integer, Long> offset : topic.offsets().entrySet()) {
        TopicPartition partition = new TopicPartition(topic.topic(), offset.getKey());
        problem = offsetProblem(partition, offset.getValue());
        if (problem.isPresent()) {
          return Outcome.unusable(problem.get());
        }
        positions.put(partition, offset.getValue());
      }
    }
    return new Outcome(positions, Optional.empty());
  }

  private Optional<String> topicProblem(TopicOffsets topic) {
    String id = topicIds.get(topic.topic());
    if (id == null) {
      return Optional.of(
          "it was taken of topic "
              + topic.topic()
              + ", which this UI does not read or which no longer exists (another topic prefix?)");
    }
    if (!id.equals(topic.topicId())) {
      return Optional.of(
          "topic "
              + topic.topic()
              + " has id "
              + id
              + ", the snapshot's has "
              + (topic.topicId() == null || topic.topicId().isEmpty() ? "none" : topic.topicId())
              + " (another cluster, or the topic was created again)");
    }
    return Optional.empty();
  }

  private Optional<String> offsetProblem(TopicPartition partition, long offset) {
    Long beginning = beginnings.get(partition);
    Long end = ends.get(partition);
    if (beginning == null || end == null) {
      return Optional.of("partition " + partition + " no longer exists");
    }
    if (offset < beginning) {
      return Optional.of(
          "retention passed it: its offset "
              + offset
              + " of "
              + partition
              + " is before the oldest record kept, "
              + beginning);
    }
    if (offset > end) {
      return Optional.of(
          "its offset " + offset + " of " + partition + " is past the partition's end, " + end);
    }
    return Optional.empty();
  }
}
