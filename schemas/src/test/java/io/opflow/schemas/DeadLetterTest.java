package io.opflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

  private static final byte[] KEY = "run-1".getBytes(StandardCharsets.UTF_8);
  private static final byte[] VALUE = {1, 2, 3};

  @Test
  void keepsKeyValueAndHeadersAndAddsProvenance() {
    ConsumerRecord<byte[], byte[]> source =
        new ConsumerRecord<>("opflow.step-events", 4, 17L, KEY, VALUE);
    source.headers().add("trace", new byte[] {9});
    ProducerRecord<byte[], byte[]> dead =
        DeadLetter.record(
            "opflow.dead-letter", source, "hooks-runner", new IllegalStateException("boom"));
    assertThat(dead.topic()).isEqualTo("opflow.dead-letter");
    assertThat(dead.key()).isEqualTo(KEY);
    assertThat(dead.value()).isEqualTo(VALUE);
    assertThat(dead.headers().lastHeader("trace").value()).containsExactly(9);
    assertProvenance(dead, "java.lang.IllegalStateException: boom");
  }

  @Test
  void buildsFromADeserializationFailure() {
    RecordDeserializationException failure =
        new RecordDeserializationException(
            RecordDeserializationException.DeserializationExceptionOrigin.VALUE,
            new TopicPartition("opflow.step-events", 4),
            17L,
            0L,
            TimestampType.CREATE_TIME,
            ByteBuffer.wrap(KEY),
            ByteBuffer.wrap(VALUE),
            new RecordHeaders(),
            "cannot deserialize",
            EventDecodingException.of("opflow.step-events", "bad marker", "dead-letter it"));
    ProducerRecord<byte[], byte[]> dead =
        DeadLetter.record("opflow.dead-letter", failure, "hooks-runner");
    assertThat(dead.key()).isEqualTo(KEY);
    assertThat(dead.value()).isEqualTo(VALUE);
    assertProvenance(dead, "EventDecodingException");
  }

  private static void assertProvenance(ProducerRecord<byte[], byte[]> dead, String error) {
    var headers = dead.headers();
    assertThat(EventHeaders.lastValue(headers, EventHeaders.DLQ_SOURCE_TOPIC))
        .contains("opflow.step-events");
    assertThat(EventHeaders.lastValue(headers, EventHeaders.DLQ_SOURCE_PARTITION)).contains("4");
    assertThat(EventHeaders.lastValue(headers, EventHeaders.DLQ_SOURCE_OFFSET)).contains("17");
    assertThat(EventHeaders.lastValue(headers, EventHeaders.DLQ_CONSUMER_GROUP))
        .contains("hooks-runner");
    Optional<String> errorText = EventHeaders.lastValue(headers, EventHeaders.DLQ_ERROR);
    assertThat(errorText).hasValueSatisfying(e -> assertThat(e).contains(error));
  }
}
