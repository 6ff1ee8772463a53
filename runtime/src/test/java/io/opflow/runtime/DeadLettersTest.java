package io.opflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.schemas.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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

  @Test
  void aSendThatThrowsIsReportedToTheCallbackSoNoCallerWaitsForever() {
    AtomicReference<Exception> failure = new AtomicReference<>();
    producer.close();

    deadLetters.send(source, new IllegalStateException("bad"), (m, e) -> failure.set(e));

    assertThat(failure.get()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aHookCallWhoseTriesAreUsedUpCarriesTheHookItsKeyAndItsTries() {
    AtomicReference<String> outcome = new AtomicReference<>("pending");

    deadLetters.sendHookCall(
        source,
        "notify",
        "run-1/step/1/notify",
        3,
        "java.io.IOException: refused",
        (m, e) -> outcome.set(e == null ? "ok" : "no"));
    producer.completeNext();

    assertThat(outcome.get()).isEqualTo("ok");
    ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
    assertThat(sent.value()).isEqualTo(source.value());
    assertThat(header(sent, EventHeaders.DLQ_HOOK_NAME)).isEqualTo("notify");
    assertThat(header(sent, EventHeaders.DLQ_HOOK_KEY)).isEqualTo("run-1/step/1/notify");
    assertThat(header(sent, EventHeaders.DLQ_HOOK_TRIES)).isEqualTo("3");
    assertThat(header(sent, EventHeaders.DLQ_ERROR)).isEqualTo("java.io.IOException: refused");
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String name) {
    return EventHeaders.lastValue(record.headers(), name).orElse(null);
  }
}
