package io.opflow.schemas.internal;

import io.opflow.schemas.EventDecodingException;
import io.opflow.schemas.ReleasedSchemas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes and decodes one record type in Avro single-object encoding: marker {@code C3 01}, the
 * 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema, then the binary body.
 *
 * <p>Encoding uses Avro's {@link BinaryMessageEncoder}. Decoding follows Avro's {@code
 * BinaryMessageDecoder} (writer schema looked up by fingerprint in a {@link SchemaStore} holding
 * the current and every released schema, never taken from the message) but reads the body through a
 * {@link BoundedDecoder}, which Avro's decoder does not allow plugging in, and turns every failure
 * into an {@link EventDecodingException}.
 */
public final class SingleObjectCodec<T extends SpecificRecord> {

  private static final int HEADER_LENGTH = 10;

  private final SpecificData model;
  private final Schema readerSchema;
  private final BinaryMessageEncoder<T> encoder;
  private final SchemaStore.Cache store = new SchemaStore.Cache();
  private final Map<Long, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

  /** Creates a codec for {@code type}, knowing its current schema and every released one. */
  public SingleObjectCodec(Class<T> type) {
    TrustedEventClasses.install();
    this.model = SpecificData.getForClass(type);
    this.readerSchema = model.getSchema(type);
    this.encoder = new BinaryMessageEncoder<>(model, readerSchema);
    store.addSchema(readerSchema);
    ReleasedSchemas.allVersionsOf(readerSchema.getName()).stream()
        .filter(released -> sameType(released, readerSchema))
        .forEach(store::addSchema);
  }

  /**
   * Returns whether a released schema is a version of the reader's type: the same full name, or a
   * name the reader lists as an alias. The internal protocol moved from {@code io.opflow.events} to
   * {@code io.opflow.protocol} after v2, and its types keep their former full names as aliases: its
   * releases up to v2 are versions of the moved types.
   */
  private static boolean sameType(Schema released, Schema reader) {
    return released.getFullName().equals(reader.getFullName())
        || reader.getAliases().contains(released.getFullName());
  }

  /** Returns the schema this codec writes and reads into. */
  public Schema schema() {
    return readerSchema;
  }

  /** Returns true when a record written with this fingerprint can be decoded. */
  public boolean knows(long fingerprint) {
    return store.findByFingerprint(fingerprint) != null;
  }

  /** Returns the fingerprint single-object encoding uses for {@code schema}. */
  public static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  /** Encodes {@code record} with the current schema. */
  public byte[] encode(T record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try {
      encoder.encode(record, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes a record read from {@code topic}.
   *
   * @throws EventDecodingException when the bytes are not a complete record of a known schema
   */
  public T decode(String topic, byte[] data) {
    SpecificDatumReader<T> reader = readerFor(topic, data);
    int bodyLength = data.length - HEADER_LENGTH;
    BinaryDecoder binary =
        DecoderFactory.get().binaryDecoder(data, HEADER_LENGTH, bodyLength, null);
    BoundedDecoder in = new BoundedDecoder(binary, bodyLength);
    try {
      T record = reader.read(null, in);
      if (!in.isEnd()) {
        throw corrupt(topic, "bytes are left over after a complete record");
      }
      return record;
    } catch (IOException | RuntimeException e) {
      throw corrupt(topic, "the body does not match its schema (" + e + ")", e);
    } catch (StackOverflowError e) {
      // A hostile record can nest ErrorInfo causes deeply enough to exhaust the stack.
      throw corrupt(topic, "the record nests too deeply", e);
    }
  }

  private SpecificDatumReader<T> readerFor(String topic, byte[] data) {
    checkHeader(topic, data);
    long fingerprint = ByteBuffer.wrap(data, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    Schema writer = store.findByFingerprint(fingerprint);
    if (writer == null) {
      throw unknownFingerprint(topic, fingerprint);
    }
    return readers.computeIfAbsent(
        fingerprint, f -> new SpecificDatumReader<>(writer, readerSchema, model));
  }

  private static void checkHeader(String topic, byte[] data) {
    if (data.length < HEADER_LENGTH) {
      throw EventDecodingException.of(
          topic,
          "the record is " + data.length + " bytes, shorter than the 10-byte single-object header",
          "it was not written by an Opflow serializer; check the producer's value.serializer and"
              + " send the record to the dead-letter topic");
    }
    if (data[0] != (byte) 0xC3 || data[1] != (byte) 0x01) {
      throw EventDecodingException.of(
          topic,
          String.format(
              "the record starts with %02X %02X, not the Avro single-object marker C3 01",
              data[0], data[1]),
          "it was not written by an Opflow serializer (a Schema Registry or JSON serializer?);"
              + " check the producer's value.serializer and send the record to the dead-letter"
              + " topic");
    }
  }

  private EventDecodingException unknownFingerprint(String topic, long fingerprint) {
    return EventDecodingException.of(
        topic,
        String.format(
            "the writer schema fingerprint %016X is not a known version of %s (known: %s)",
            fingerprint, readerSchema.getFullName(), List.of(knownDescription())),
        "the producer uses a newer or foreign schema; upgrade opflow-schemas on this consumer to"
            + " the producer's version, or send the record to the dead-letter topic");
  }

  private String knownDescription() {
    return ReleasedSchemas.versions() + " plus the current build";
  }

  private EventDecodingException corrupt(String topic, String problem) {
    return corrupt(topic, problem, null);
  }

  private EventDecodingException corrupt(String topic, String problem, Throwable cause) {
    if (cause instanceof EventDecodingException known) {
      return known;
    }
    return new EventDecodingException(
        topic,
        "the record of " + readerSchema.getName() + " is truncated or corrupt: " + problem,
        "send it to the dead-letter topic and check the producer and the network path",
        cause);
  }
}
