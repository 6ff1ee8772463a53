package io.opflow.runtime.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AcknowledgementsTest {
  private final CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();

  @AfterEach
  void clearInterrupt() {
    boolean unused = Thread.interrupted();
  }

  @Test
  void returnsWhereTheBrokerWroteTheRecord() {
    RecordMetadata written = new RecordMetadata(new TopicPartition("t", 2), 7, 0, 0L, 1, 1);
    sent.complete(written);

    assertThat(Acknowledgements.await(sent, Duration.ofSeconds(1), "an event")).isSameAs(written);
  }

  @Test
  void aSendNotAcknowledgedInTimeSaysWhatWasNotWrittenAndHowLongItWaited() {
    long start = System.nanoTime();

    UnacknowledgedSendException e = failure(Duration.ofMillis(200), "a dead letter to dlq");

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(e)
        .hasMessage(
            "Could not write a dead letter to dlq: the broker did not acknowledge it within 200 ms")
        .hasCauseInstanceOf(TimeoutException.class);
    assertThat(e.timedOut()).isTrue();
    assertThat(e.interrupted()).isFalse();
  }

  @Test
  void aFailedSendCarriesTheProducersErrorAsItsCause() {
    NotLeaderOrFollowerException error = new NotLeaderOrFollowerException("moved");
    sent.completeExceptionally(error);

    UnacknowledgedSendException e = failure(Duration.ofSeconds(1), "an event");

    assertThat(e).hasMessage("Could not write an event: " + error).hasCause(error);
    assertThat(e.timedOut()).isFalse();
    assertThat(e.interrupted()).isFalse();
  }

  @Test
  void anInterruptedWaitKeepsTheInterruptFlag() {
    Thread.currentThread().interrupt();

    UnacknowledgedSendException e = failure(Duration.ofSeconds(10), "an event");

    assertThat(e.interrupted()).isTrue();
    assertThat(e).hasCauseInstanceOf(InterruptedException.class);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  private UnacknowledgedSendException failure(Duration timeout, String what) {
    try {
      Acknowledgements.await(sent, timeout, what);
    } catch (UnacknowledgedSendException e) {
      return e;
    }
    throw new AssertionError("the wait ended without an exception");
  }
}
