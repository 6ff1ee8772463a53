package io.opflow.schemas;

import io.opflow.protocol.StepTask;
import io.opflow.schemas.internal.RecordFields;
import io.opflow.schemas.internal.SingleObjectCodec;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializer, deserializer and serde of one Opflow event type in Avro single-object encoding.
 *
 * <p>Writes with the current schema; reads records written with the current schema or any released
 * one, resolving the writer schema by the fingerprint in the record (never from the record itself).
 * Bytes that are not such a record raise {@link EventDecodingException}; decoding never allocates
 * more than the record's size per string or collection. When given headers, {@link
 * #serialize(String, Headers, SpecificRecord)} sets {@link EventHeaders#EVENT_TYPE}, {@link
 * EventHeaders#RUN_ID} and {@link EventHeaders#STEP_KEY}, and on a step task also {@link
 * EventHeaders#ATTEMPT}, {@link EventHeaders#JOB_NAME} and {@link EventHeaders#OP_NAME}. {@code
 * null} maps to {@code null} (tombstones). Instances are thread-safe.
 *
 * <p>Get instances from {@link OpflowSerdes}, or name a concrete class such as {@link
 * StepEventSerializer} in Kafka client properties.
 *
 * @param <T> the generated Avro class of the events
 */
public class AvroEventSerde<T extends SpecificRecord>
    implements Serde<T>, Serializer<T>, Deserializer<T> {

  private final SingleObjectCodec<T> codec;

  /**
   * Creates a serde for a generated record class of {@code io.opflow.events} (the public contract)
   * or {@code io.opflow.protocol} (the internal protocol, see {@link ContractKind}).
   *
   * @param type the generated class, such as {@code StepEvent.class}
   */
  public AvroEventSerde(Class<T> type) {
    this.codec = new SingleObjectCodec<>(type);
  }

  /**
   * Returns the schema this serde writes and reads into.
   *
   * @return the current schema of the event type
   */
  public Schema schema() {
    return codec.schema();
  }

  /**
   * Returns true when records written with the schema of this fingerprint can be read.
   *
   * @param fingerprint a CRC-64-AVRO parsing fingerprint, as in single-object encoding
   * @return whether the schema is the current or a released version of this event type
   */
  public boolean knowsFingerprint(long fingerprint) {
    return codec.knows(fingerprint);
  }

  @Override
  public byte[] serialize(String topic, T data) {
    return data == null ? null : codec.encode(data);
  }

  @Override
  public byte[] serialize(String topic, Headers headers, T data) {
    if (data != null && headers != null) {
      writeHeaders(headers, data);
    }
    return serialize(topic, data);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    return data == null ? null : codec.decode(topic, data);
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    // Nothing to configure: the schema set is fixed by the jar.
  }

  @Override
  public void close() {
    // Nothing to release.
  }

  private static void writeHeaders(Headers headers, SpecificRecord data) {
    EventHeaders.set(headers, EventHeaders.EVENT_TYPE, RecordFields.eventType(data));
    RecordFields.runId(data).ifPresent(id -> EventHeaders.set(headers, EventHeaders.RUN_ID, id));
    RecordFields.stepKey(data)
        .ifPresent(key -> EventHeaders.set(headers, EventHeaders.STEP_KEY, key));
    if (data instanceof StepTask task) {
      EventHeaders.set(headers, EventHeaders.ATTEMPT, Integer.toString(task.getAttempt()));
      EventHeaders.set(headers, EventHeaders.JOB_NAME, task.getJobName());
      EventHeaders.set(headers, EventHeaders.OP_NAME, task.getOpName());
    }
  }
}
