package io.opflow.hooks.internal;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a {@link PartitionLane} does with its partition's records. Every method runs on the lane's
 * thread, one call at a time, so a handler keeps per-partition state without locks.
 */
interface PartitionLaneHandler {
  /**
   * Handles one record and settles it exactly once, now or later: {@link PartitionLane#done} when
   * its effects are safe, {@link PartitionLane#abandon} when the lane gives up on it.
   */
  void handle(ConsumerRecord<byte[], byte[]> record, PartitionLane lane);

  /** Releases what has not been used for a while; called now and then. */
  default void sweep() {}

  /** Tells the handler a run has ended, so what it keeps for the run can go. */
  default void runEnded(String runId) {}

  /** Releases everything; the last call the lane makes. */
  default void close() {}
}
