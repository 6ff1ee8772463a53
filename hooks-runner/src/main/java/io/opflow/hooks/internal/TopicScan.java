package io.opflow.hooks.internal;

import io.opflow.hooks.InvalidSelectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Reads every partition of a topic from its beginning to the end it had when the read began, with a
 * consumer of no group (the caller's consumer reads committed records only), and fetches single
 * records by position.
 */
final class TopicScan {
  private static final Duration POLL = Duration.ofMillis(200);

  private final Consumer<byte[], byte[]> consumer;
  private final Duration timeout;

  TopicScan(Consumer<byte[], byte[]> consumer, Duration timeout) {
    this.consumer = consumer;
    this.timeout = timeout;
  }

  /** Returns the topic's partition count, refusing a topic that does not exist. */
  int partitionCount(String topic) {
    List<PartitionInfo> partitions;
    try {
      partitions = consumer.partitionsFor(topic, timeout);
    } catch (TimeoutException e) {
      throw new TimeoutException(
          "could not look up topic " + topic + " within " + timeout + ": " + e.getMessage(), e);
    }
    if (partitions == null || partitions.isEmpty()) {
      throw new InvalidSelectionException(
          "topic " + topic + " does not exist; check the topic prefix and the bootstrap servers");
    }
    return partitions.size();
  }

  /** Reads the topic to its current end, handing each record to {@code each} in partition order. */
  void read(String topic, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
    List<TopicPartition> tps = new ArrayList<>();
    int partitions = partitionCount(topic);
    for (int p = 0; p < partitions; p++) {
      tps.add(new TopicPartition(topic, p));
    }
    consumer.assign(tps);
    try {
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps, timeout);
      long lastProgress = System.nanoTime();
      long behind = behind(end);
      while (behind > 0) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
            each.accept(r);
          }
        }
        long now = behind(end);
        if (now < behind) {
          behind = now;
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > timeout.toNanos()) {
          throw new TimeoutException(
              "reading " + topic + " made no progress for " + timeout + "; " + now + " to go");
        }
      }
    } finally {
      consumer.assign(List.of());
    }
  }

  /**
   * Returns the record at an offset of a partition, or null when it is no longer there (deleted by
   * retention) or is not a committed record.
   */
  ConsumerRecord<byte[], byte[]> fetch(String topic, int partition, long offset) {
    TopicPartition tp = new TopicPartition(topic, partition);
    consumer.assign(List.of(tp));
    try {
      consumer.seek(tp, offset);
      long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
      long started = System.nanoTime();
      while (consumer.position(tp, timeout) <= offset && offset < end) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          if (r.offset() == offset) {
            return r;
          }
          if (r.offset() > offset) {
            return null;
          }
        }
        if (System.nanoTime() - started > timeout.toNanos()) {
          throw new TimeoutException(
              "could not read " + tp + " at offset " + offset + " within " + timeout);
        }
      }
      return null;
    } finally {
      consumer.assign(List.of());
    }
  }

  private long behind(Map<TopicPartition, Long> end) {
    long behind = 0;
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      behind += Math.max(0, e.getValue() - consumer.position(e.getKey(), timeout));
    }
    return behind;
  }
}
