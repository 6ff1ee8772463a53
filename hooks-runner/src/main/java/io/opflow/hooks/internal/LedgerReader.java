package io.opflow.hooks.internal;

import io.opflow.events.HookEvent;
import io.opflow.schemas.AvroEventSerde;
import io.opflow.schemas.EventHeaders;
import io.opflow.schemas.OpflowSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code hook-events} partitions from the beginning to their current end, to rebuild the
 * {@link HookLedger}s of step-events partitions. Uses its own consumer with no group, reading
 * committed records only; used by one thread at a time (the {@link LedgerLoader}'s).
 */
final class LedgerReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerReader.class);
  private static final Duration POLL = Duration.ofMillis(200);

  /** How long a read goes before it says, in a warning, that it is still at it. */
  static final Duration LIMIT = Duration.ofMinutes(2);

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final Duration limit;
  private final AvroEventSerde<HookEvent> serde = OpflowSerdes.hookEvents();

  LedgerReader(Consumer<byte[], byte[]> consumer, String topic) {
    this(consumer, topic, LIMIT);
  }

  LedgerReader(Consumer<byte[], byte[]> consumer, String topic, Duration limit) {
    this.consumer = consumer;
    this.topic = topic;
    this.limit = limit;
  }

  /** Returns the partition count of a topic, 0 when it is unknown. */
  int partitionCount(String anyTopic) {
    List<PartitionInfo> partitions = consumer.partitionsFor(anyTopic);
    return partitions == null ? 0 : partitions.size();
  }

  /** Returns the partition count of the hook-events topic. */
  int partitionCount() {
    return partitionCount(topic);
  }

  /**
   * Reads hook-events partitions into one new ledger per step-events partition. With {@code
   * byPartition}, a hook event goes to the ledger of the step-events partition with its number (the
   * topics have the same partition count); otherwise to every ledger.
   *
   * <p>A read that takes longer than the limit is not given up: it logs a warning each time the
   * limit passes, as the step events of those partitions wait for it (polling goes on).
   *
   * @param wanted checked between polls; the read stops, returning null, once it is false
   * @return the ledgers by step-events partition, or null if no longer wanted
   */
  Map<Integer, HookLedger> read(
      Collection<Integer> stepPartitions,
      List<Integer> hookPartitions,
      boolean byPartition,
      BooleanSupplier wanted) {
    Map<Integer, HookLedger> ledgers = new HashMap<>();
    stepPartitions.forEach(p -> ledgers.put(p, new HookLedger()));
    List<TopicPartition> tps =
        hookPartitions.stream().map(p -> new TopicPartition(topic, p)).toList();
    consumer.assign(tps);
    try {
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps);
      long warnAt = System.nanoTime() + limit.toNanos();
      while (!reachedEnd(end)) {
        if (!wanted.getAsBoolean()) {
          return null;
        }
        if (System.nanoTime() - warnAt > 0) {
          warnSlow(stepPartitions, end);
          warnAt = System.nanoTime() + limit.toNanos();
        }
        consumer.poll(POLL).forEach(r -> route(ledgers, byPartition, r));
      }
      return ledgers;
    } finally {
      consumer.assign(List.of());
    }
  }

  private void route(
      Map<Integer, HookLedger> ledgers, boolean byPartition, ConsumerRecord<byte[], byte[]> r) {
    HookLedger own = byPartition ? ledgers.get(r.partition()) : null;
    if (byPartition && own == null) {
      return;
    }
    Fired fired = decode(r);
    if (fired == null) {
      return;
    }
    if (own != null) {
      fired.into(own);
    } else {
      ledgers.values().forEach(fired::into);
    }
  }

  private void warnSlow(Collection<Integer> stepPartitions, Map<TopicPartition, Long> end) {
    Map<Integer, String> progress = new TreeMap<>();
    end.forEach((tp, last) -> progress.put(tp.partition(), consumer.position(tp) + " of " + last));
    LOG.warn(
        "Still reading {} to rebuild the hook ledgers of step-events partitions {} after more than"
            + " {} (positions {}); their hooks wait, the rest of the hooks-runner goes on",
        topic,
        stepPartitions,
        limit,
        progress);
  }

  private boolean reachedEnd(Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  /**
   * One hook event as the ledger keeps it: a call's last, or a try with another to come. A replay's
   * or backfill's last event ({@code replacedKey} set) also stands for the original call, so a
   * runner that reads the step event again (its offsets reset, or it had not reached it when a
   * backfill ran) does not fire generation 1 after it.
   */
  private record Fired(
      String idempotencyKey,
      String replacedKey,
      String attemptKey,
      long sourceOffset,
      int tryNumber,
      Instant next) {
    void into(HookLedger ledger) {
      if (next == null) {
        ledger.recordFired(idempotencyKey, attemptKey, sourceOffset);
        if (replacedKey != null) {
          ledger.recordFired(replacedKey, attemptKey, sourceOffset);
        }
      } else {
        ledger.recordTry(idempotencyKey, attemptKey, sourceOffset, tryNumber, next);
      }
    }
  }

  private Fired decode(ConsumerRecord<byte[], byte[]> record) {
    HookEvent event;
    try {
      event = serde.deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      LOG.warn("Ignoring undecodable hook event at offset {}: {}", record.offset(), e.toString());
      return null;
    }
    String attempt =
        HookLedger.attemptKey(event.getRunId(), event.getStepKey(), event.getAttempt());
    long offset =
        EventHeaders.lastValue(record.headers(), EventHeaders.HOOK_SOURCE_OFFSET)
            .map(LedgerReader::parseOffset)
            .orElse(HookLedger.UNKNOWN_OFFSET);
    String replaced = event.getGeneration() > 1 ? CallHistory.baseKey(event) : null;
    return new Fired(
        event.getIdempotencyKey(),
        replaced,
        attempt,
        offset,
        event.getTryNumber(),
        event.getNextTryAt());
  }

  private static long parseOffset(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return HookLedger.UNKNOWN_OFFSET;
    }
  }

  /** Makes a read in progress stop with a {@code WakeupException}; callable from any thread. */
  void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
