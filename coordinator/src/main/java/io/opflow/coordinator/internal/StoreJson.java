package io.opflow.coordinator.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** JSON serdes of the coordinator's store values (internal state, never a public contract). */
final class StoreJson {
  // Fields, not getters: the stored classes keep their accessors package-private and small.
  // Unknown properties are ignored so a newer coordinator's state can be read by an older one.
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setVisibility(PropertyAccessor.ALL, Visibility.NONE)
          .setVisibility(PropertyAccessor.FIELD, Visibility.ANY)
          .setVisibility(PropertyAccessor.CREATOR, Visibility.ANY)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .registerModule(StoredRunStatus.module());

  private StoreJson() {}

  /** Returns a serde of string-to-string maps, for step outputs. */
  static Serde<java.util.Map<String, String>> mapSerde() {
    TypeReference<java.util.LinkedHashMap<String, String>> type = new TypeReference<>() {};
    Serializer<java.util.Map<String, String>> serializer =
        (topic, value) -> value == null ? null : write(value);
    Deserializer<java.util.Map<String, String>> deserializer =
        (topic, bytes) -> bytes == null ? null : read(bytes, type);
    return Serdes.serdeFrom(serializer, deserializer);
  }

  static <T> Serde<T> serde(Class<T> type) {
    Serializer<T> serializer = (topic, value) -> value == null ? null : write(value);
    Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null : read(bytes, type);
    return Serdes.serdeFrom(serializer, deserializer);
  }

  /** Returns the size of a value as stored. */
  static long sizeOf(Object value) {
    return write(value).length;
  }

  private static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write coordinator state as JSON", e);
    }
  }

  private static <T> T read(byte[] bytes, Class<T> type) {
    try {
      return MAPPER.readValue(bytes, type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read coordinator state from JSON", e);
    }
  }

  private static <T> T read(byte[] bytes, TypeReference<T> type) {
    try {
      return MAPPER.readValue(bytes, type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read coordinator state from JSON", e);
    }
  }
}
