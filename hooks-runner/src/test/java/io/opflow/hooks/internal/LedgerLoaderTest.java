package io.opflow.hooks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.events.HookCompleted;
import io.opflow.events.HookEvent;
import io.opflow.events.HookKind;
import io.opflow.hooks.internal.LedgerLoader.PartitionLedger;
import io.opflow.schemas.EventHeaders;
import io.opflow.schemas.OpflowSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LedgerLoaderTest {
  private static final String HOOK_EVENTS = "hook-events";
  private static final String STEP_EVENTS = "step-events";
  private static final TopicPartition HOOKS_0 = new TopicPartition(HOOK_EVENTS, 0);

  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  private final AtomicInteger flushes = new AtomicInteger();
  private LedgerLoader loader;

  @AfterEach
  void tearDown() {
    if (loader != null) {
      loader.close();
    }
  }

  private LedgerLoader loader(Duration warnAfter) {
    consumer.updatePartitions(HOOK_EVENTS, partitions(HOOK_EVENTS));
    consumer.updatePartitions(STEP_EVENTS, partitions(STEP_EVENTS));
    consumer.updateBeginningOffsets(Map.of(HOOKS_0, 0L, new TopicPartition(HOOK_EVENTS, 1), 0L));
    LedgerReader reader = new LedgerReader(consumer, HOOK_EVENTS, warnAfter);
    loader = new LedgerLoader(reader, STEP_EVENTS, flushes::incrementAndGet, Duration.ofMillis(10));
    return loader;
  }

  @Test
  void aFailedReadIsRetriedUntilTheLedgerIsBuiltInsteadOfStoppingTheRunner() throws Exception {
    LedgerLoader loader = loader(LedgerReader.LIMIT);
    consumer.setOffsetsException(new TimeoutException("broker unreachable"));
    consumer.updateEndOffsets(Map.of(HOOKS_0, 1L));
    consumer.schedulePollTask(() -> consumer.addRecord(hookEvent(0, "r/a/1/notify", 12)));

    CompletableFuture<PartitionLedger> ledger = loader.load(List.of(0)).get(0);

    PartitionLedger built = ledger.get(10, TimeUnit.SECONDS);
    assertThat(built.ledger().hasFired("r/a/1/notify")).isTrue();
    assertThat(built.ledger().claim("r/a/1", 12)).isTrue();
    assertThat(built.ledger().claim("r/a/1", 13)).isFalse();
    assertThat(built.hookPartition()).isEqualTo(0);
    assertThat(flushes.get()).as("hook events in flight are flushed before each read").isEqualTo(2);
  }

  @Test
  void aReadPastTheLimitWarnsAndGoesOn() throws Exception {
    LedgerLoader loader = loader(Duration.ZERO);
    consumer.updateEndOffsets(Map.of(HOOKS_0, 2L));
    consumer.schedulePollTask(() -> consumer.addRecord(hookEvent(0, "r/a/1/notify", 5)));
    consumer.scheduleNopPollTask();
    consumer.schedulePollTask(() -> consumer.addRecord(hookEvent(1, "r/a/1/after", 5)));

    PartitionLedger built = loader.load(List.of(0)).get(0).get(10, TimeUnit.SECONDS);

    assertThat(built.ledger().hasFired("r/a/1/notify")).isTrue();
    assertThat(built.ledger().hasFired("r/a/1/after")).isTrue();
  }

  @Test
  void aPartitionThatGoesBeforeItsLedgerIsReadStopsTheRead() throws Exception {
    LedgerLoader loader = loader(LedgerReader.LIMIT);
    consumer.updateEndOffsets(Map.of(HOOKS_0, 1L)); // never reached: no record comes

    CompletableFuture<PartitionLedger> ledger = loader.load(List.of(0)).get(0);
    Thread.sleep(100);
    ledger.cancel(false);

    // The loader's thread is free again: a later load completes. The canceled read may still take
    // one more poll, and with it a record meant for the later load: offer it until it lands.
    CompletableFuture<PartitionLedger> later = loader.load(List.of(0)).get(0);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!later.isDone() && System.nanoTime() < deadline) {
      consumer.schedulePollTask(() -> consumer.addRecord(hookEvent(0, "r/b/1/notify", 3)));
      Thread.sleep(300);
    }
    PartitionLedger next = later.get(1, TimeUnit.SECONDS);
    assertThat(next.ledger().hasFired("r/b/1/notify")).isTrue();
  }

  private static List<PartitionInfo> partitions(String topic) {
    Node node = new Node(1, "localhost", 9092);
    Node[] nodes = {node};
    return List.of(
        new PartitionInfo(topic, 0, node, nodes, nodes),
        new PartitionInfo(topic, 1, node, nodes, nodes));
  }

  private static ConsumerRecord<byte[], byte[]> hookEvent(long offset, String key, long source) {
    String[] parts = key.split("/", -1);
    HookEvent event =
        HookEvent.newBuilder()
            .setRunId(parts[0])
            .setStepKey(parts[1])
            .setAttempt(Integer.parseInt(parts[2]))
            .setHookName(parts[3])
            .setHookKind(HookKind.SUCCESS)
            .setIdempotencyKey(key)
            .setTimestamp(Instant.now())
            .setPayload(new HookCompleted(1L))
            .build();
    RecordHeaders headers = new RecordHeaders();
    EventHeaders.set(headers, EventHeaders.HOOK_SOURCE_OFFSET, Long.toString(source));
    byte[] value = OpflowSerdes.hookEvents().serialize(HOOK_EVENTS, headers, event);
    return new ConsumerRecord<>(
        HOOK_EVENTS,
        0,
        offset,
        0L,
        TimestampType.CREATE_TIME,
        0,
        value.length,
        parts[0].getBytes(java.nio.charset.StandardCharsets.UTF_8),
        value,
        headers,
        Optional.empty());
  }
}
