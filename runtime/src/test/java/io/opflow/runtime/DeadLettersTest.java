package io.opflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final DeadLetters deadLetters = new DeadLetters(producer, "dlq", "group");
  private final ConsumerRecord<byte[], byte[]> source =
      new ConsumerRecord<>("tasks", 1, 7, "k".getBytes(StandardCharsets.UTF_8), new byte[] {1});

  @Test
  void asynchronousSendReportsOnlyOnceTheBrokerHasTheDeadLetter() {
    AtomicReference<String> outcome = new AtomicReference<>("pending");

    deadLetters.send(
        source, new IllegalStateException("bad"), (m, e) -> outcome.set(e == null ? "ok" : "no"));

    assertThat(outcome.get()).isEqualTo("pending");
    assertThat(producer.history())
        .singleElement()
        .satisfies(r -> assertThat(r.topic()).isEqualTo("dlq"));
    producer.completeNext();
    assertThat(outcome.get()).isEqualTo("ok");
  }

  @Test
  void asynchronousSendReportsAFailure() {
    AtomicReference<Exception> failure = new AtomicReference<>();

    deadLetters.send(source, new IllegalStateException("bad"), (m, e) -> failure.set(e));
    producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("expired"));

    assertThat(failure.get()).hasMessage("expired");
  }
}
