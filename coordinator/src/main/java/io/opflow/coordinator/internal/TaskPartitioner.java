package io.opflow.coordinator.internal;

import io.opflow.protocol.StepTask;
import io.opflow.schemas.EventHeaders;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Sends each step task to the partition the coordinator chose for it ({@link TaskPlacement}),
 * carried in the task's {@value #HEADER} header; a record without it is partitioned by key.
 */
final class TaskPartitioner implements StreamPartitioner<String, StepTask> {
  /** Header naming the {@code step-tasks} partition the coordinator chose. */
  static final String HEADER = "opflow.task-partition";

  // Required by the interface, deprecated in it, and never called by Kafka Streams 4, which calls
  // the variant with headers below.
  @Override
  @SuppressWarnings("removal")
  @Deprecated
  public Optional<Set<Integer>> partitions(
      String topic, String key, StepTask value, int numPartitions) {
    return Optional.empty();
  }

  @Override
  public Optional<Set<Integer>> partitions(
      String topic, String key, StepTask value, Headers headers, int numPartitions) {
    return EventHeaders.lastValue(headers, HEADER)
        .map(Integer::parseInt)
        .filter(partition -> partition < numPartitions)
        .map(Set::of);
  }
}
