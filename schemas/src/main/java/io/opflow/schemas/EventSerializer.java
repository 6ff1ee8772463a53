package io.opflow.schemas;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Base of the concrete serializer classes named in Kafka properties (such as {@code
 * value.serializer=io.opflow.schemas.StepEventSerializer}); delegates to {@link AvroEventSerde}.
 *
 * @param <T> the generated Avro class of the events
 */
public abstract class EventSerializer<T extends SpecificRecord> implements Serializer<T> {

  private final AvroEventSerde<T> serde;

  /**
   * Creates a serializer of {@code type}.
   *
   * @param type the generated event class
   */
  protected EventSerializer(Class<T> type) {
    this.serde = new AvroEventSerde<>(type);
  }

  @Override
  public byte[] serialize(String topic, T data) {
    return serde.serialize(topic, data);
  }

  @Override
  public byte[] serialize(String topic, Headers headers, T data) {
    return serde.serialize(topic, headers, data);
  }
}
