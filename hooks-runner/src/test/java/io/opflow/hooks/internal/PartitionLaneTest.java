package io.opflow.hooks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PartitionLaneTest {
  private static final TopicPartition TP = new TopicPartition("step-events", 0);

  private final List<Long> done = new CopyOnWriteArrayList<>();
  private final List<Long> handled = new CopyOnWriteArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  private record Sends(Callback first, Callback second) {}

  private PartitionLane lane(PartitionLaneHandler handler) {
    return new PartitionLane(TP, handler, r -> done.add(r.offset()), failure::set);
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset) {
    return new ConsumerRecord<>(TP.topic(), TP.partition(), offset, new byte[0], new byte[0]);
  }

  @Test
  void recordsAreHandledOneAtATimeInTheOrderGiven() throws Exception {
    PartitionLane lane =
        lane(
            (record, l) -> {
              handled.add(record.offset());
              l.done(record);
            });
    for (long offset = 0; offset < 50; offset++) {
      lane.submit(record(offset));
    }

    awaitUntil(() -> done.size() == 50);
    assertThat(handled).containsExactlyElementsOf(range(50));
    assertThat(done).containsExactlyElementsOf(range(50));
  }

  @Test
  void aRecordIsDoneOnlyWhenEverySendItCausedIsAcknowledged() {
    AtomicReference<RecordAcks> pending = new AtomicReference<>();
    AtomicReference<Sends> sends = new AtomicReference<>();
    PartitionLane lane =
        lane(
            (record, l) -> {
              RecordAcks acks = new RecordAcks(l, record);
              sends.set(new Sends(acks.expect(), acks.expect()));
              acks.release();
              pending.set(acks);
            });
    lane.submit(record(7));
    awaitUntil(() -> pending.get() != null);

    sends.get().first().onCompletion(null, null);
    assertThat(done).isEmpty();
    sends.get().second().onCompletion(null, null);
    assertThat(done).containsExactly(7L);
  }

  @Test
  void aFailedSendStopsTheLoopAndTheRecordIsNeverDone() {
    AtomicReference<RecordAcks> pending = new AtomicReference<>();
    PartitionLane lane =
        lane(
            (record, l) -> {
              RecordAcks acks = new RecordAcks(l, record);
              acks.expect().onCompletion(null, new IllegalStateException("broker says no"));
              acks.release();
              pending.set(acks);
            });
    lane.submit(record(3));
    awaitUntil(() -> pending.get() != null);

    assertThat(lane.drain(Duration.ofSeconds(5))).isTrue(); // settled, as abandoned
    assertThat(done).isEmpty();
    assertThat(failure.get())
        .isInstanceOf(RecordAcks.SendFailedException.class)
        .hasMessageContaining("step-events-0@3")
        .hasMessageContaining("could not be written")
        .hasRootCauseMessage("broker says no");
  }

  @Test
  void drainingLeavesRecordsNotStartedToTheNextOwnerAndWaitsForTheOneInHand() throws Exception {
    CountDownLatch inHand = new CountDownLatch(1);
    PartitionLane lane =
        lane(
            (record, l) -> {
              handled.add(record.offset());
              inHand.countDown();
              sleep(300);
              l.done(record);
            });
    lane.submit(record(0));
    lane.submit(record(1));
    lane.submit(record(2));
    assertThat(inHand.await(5, TimeUnit.SECONDS)).isTrue();

    assertThat(lane.drain(Duration.ofSeconds(5))).isTrue();
    assertThat(handled).containsExactly(0L);
    assertThat(done).containsExactly(0L);
  }

  @Test
  void afterADrainThatTimedOutNothingTheLaneFinishesCountsAsDone() throws Exception {
    CountDownLatch inHand = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    PartitionLane lane =
        lane(
            (record, l) -> {
              inHand.countDown();
              await(release);
              l.done(record);
              finished.countDown();
            });
    lane.submit(record(0));
    assertThat(inHand.await(5, TimeUnit.SECONDS)).isTrue();

    assertThat(lane.drain(Duration.ofMillis(100))).isFalse();
    release.countDown();
    assertThat(finished.await(5, TimeUnit.SECONDS)).isTrue();
    // The partition may already be another member's, or this one's again under a fresh tracker.
    assertThat(done).isEmpty();
  }

  @Test
  void aHandlerThatThrowsStopsTheLoopLoudlyInsteadOfSkippingTheRecord() {
    PartitionLane lane =
        lane(
            (record, l) -> {
              throw new IllegalStateException("bug");
            });
    lane.submit(record(5));

    awaitUntil(() -> failure.get() != null);
    assertThat(lane.drain(Duration.ofSeconds(5))).isTrue(); // settled, as abandoned
    assertThat(done).isEmpty();
    assertThat(failure.get()).hasMessageContaining("step-events-0@5").hasRootCauseMessage("bug");
  }

  private static List<Long> range(int count) {
    return java.util.stream.LongStream.range(0, count).boxed().toList();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitUntil(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      sleep(5);
    }
  }
}
