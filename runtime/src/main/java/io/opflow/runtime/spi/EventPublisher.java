package io.opflow.runtime.spi;

import io.opflow.schemas.AvroEventSerde;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes Avro events through one byte-array producer: the serde encodes the value and sets the
 * event headers; the key is the UTF-8 string key. One producer per role carries events and dead
 * letters alike.
 */
public final class EventPublisher {

  private final Producer<byte[], byte[]> producer;

  /** Creates a publisher over a producer the caller owns. */
  public EventPublisher(Producer<byte[], byte[]> producer) {
    this.producer = producer;
  }

  /** Sends an event; {@code partition} may be null to partition by key. */
  public <T extends SpecificRecord> Future<RecordMetadata> send(
      String topic, Integer partition, String key, T event, AvroEventSerde<T> serde) {
    return send(topic, partition, key, event, serde, new RecordHeaders());
  }

  /** Sends an event with extra headers; the serde adds the event headers to them. */
  public <T extends SpecificRecord> Future<RecordMetadata> send(
      String topic,
      Integer partition,
      String key,
      T event,
      AvroEventSerde<T> serde,
      Headers headers) {
    return producer.send(record(topic, partition, key, event, serde, headers));
  }

  /**
   * Sends an event with extra headers and calls {@code whenAcknowledged} on the producer's I/O
   * thread once the broker has it or the send failed for good; the callback must be quick.
   */
  public <T extends SpecificRecord> void send(
      String topic,
      Integer partition,
      String key,
      T event,
      AvroEventSerde<T> serde,
      Headers headers,
      Callback whenAcknowledged) {
    // The callback hears the outcome; the future would only repeat it.
    Future<RecordMetadata> unused =
        producer.send(record(topic, partition, key, event, serde, headers), whenAcknowledged);
  }

  private static <T extends SpecificRecord> ProducerRecord<byte[], byte[]> record(
      String topic,
      Integer partition,
      String key,
      T event,
      AvroEventSerde<T> serde,
      Headers headers) {
    byte[] value = serde.serialize(topic, headers, event);
    byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(topic, partition, keyBytes, value, headers);
  }

  /**
   * Sends an event and waits until the broker has it, at most {@link
   * Acknowledgements#DEFAULT_TIMEOUT}.
   *
   * @throws UnacknowledgedSendException if the event was not written
   */
  public <T extends SpecificRecord> RecordMetadata sendAndWait(
      String topic, Integer partition, String key, T event, AvroEventSerde<T> serde) {
    return await(send(topic, partition, key, event, serde));
  }

  /**
   * Waits until every event sent so far is acknowledged or failed for good, their callbacks run;
   * for revocation and shutdown, never on a hot path.
   */
  public void flush() {
    producer.flush();
  }

  /**
   * Waits for a send, at most {@link Acknowledgements#DEFAULT_TIMEOUT}.
   *
   * @throws UnacknowledgedSendException if the event was not written
   */
  public static RecordMetadata await(Future<RecordMetadata> sent) {
    return Acknowledgements.await(sent, Acknowledgements.DEFAULT_TIMEOUT, "an event");
  }
}
