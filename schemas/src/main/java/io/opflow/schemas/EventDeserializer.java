package io.opflow.schemas;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Base of the concrete deserializer classes named in Kafka properties (such as {@code
 * value.deserializer=io.opflow.schemas.StepEventDeserializer}); delegates to {@link
 * AvroEventSerde}.
 *
 * @param <T> the generated Avro class of the events
 */
public abstract class EventDeserializer<T extends SpecificRecord> implements Deserializer<T> {

  private final AvroEventSerde<T> serde;

  /**
   * Creates a deserializer of {@code type}.
   *
   * @param type the generated event class
   */
  protected EventDeserializer(Class<T> type) {
    this.serde = new AvroEventSerde<>(type);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    return serde.deserialize(topic, data);
  }
}
