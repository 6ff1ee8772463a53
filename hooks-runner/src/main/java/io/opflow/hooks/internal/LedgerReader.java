package io.opflow.hooks.internal;

import io.opflow.events.HookEvent;
import io.opflow.schemas.AvroEventSerde;
import io.opflow.schemas.EventHeaders;
import io.opflow.schemas.OpflowSerdes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code hook-events} partitions from the beginning to their current end, to rebuild the
 * {@link HookLedger} of a step-events partition. Uses its own consumer with no group.
 */
final class LedgerReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerReader.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration LIMIT = Duration.ofMinutes(2);

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final AvroEventSerde<HookEvent> serde = OpflowSerdes.hookEvents();

  LedgerReader(Consumer<byte[], byte[]> consumer, String topic) {
    this.consumer = consumer;
    this.topic = topic;
  }

  /** Returns the partition count of the hook-events topic. */
  int partitionCount() {
    List<PartitionInfo> partitions = consumer.partitionsFor(topic);
    return partitions == null ? 0 : partitions.size();
  }

  /** Reads the given hook-events partitions into a new ledger. */
  HookLedger read(List<Integer> partitions) {
    HookLedger ledger = new HookLedger();
    List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
    consumer.assign(tps);
    consumer.seekToBeginning(tps);
    Map<TopicPartition, Long> end = consumer.endOffsets(tps);
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!reachedEnd(end)) {
      if (System.nanoTime() > deadline) {
        throw new KafkaException("Could not read " + topic + " to its end within " + LIMIT);
      }
      consumer.poll(POLL).forEach(r -> add(ledger, r));
    }
    consumer.assign(List.of());
    return ledger;
  }

  private boolean reachedEnd(Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  private void add(HookLedger ledger, ConsumerRecord<byte[], byte[]> record) {
    HookEvent event;
    try {
      event = serde.deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      LOG.warn("Ignoring undecodable hook event at offset {}: {}", record.offset(), e.toString());
      return;
    }
    String attempt =
        HookLedger.attemptKey(event.getRunId(), event.getStepKey(), event.getAttempt());
    long offset =
        EventHeaders.lastValue(record.headers(), HookEventsHeaders.SOURCE_OFFSET)
            .map(LedgerReader::parseOffset)
            .orElse(HookLedger.UNKNOWN_OFFSET);
    ledger.recordFired(event.getIdempotencyKey(), attempt, offset);
  }

  private static long parseOffset(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return HookLedger.UNKNOWN_OFFSET;
    }
  }

  @Override
  public void close() {
    consumer.close();
  }
}
