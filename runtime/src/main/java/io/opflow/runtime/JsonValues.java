package io.opflow.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opflow.core.OpflowException;
import io.opflow.core.spi.ConfigBinder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Op values as they cross Kafka: each output or input is one JSON document (Jackson, the same
 * mapper that binds config), decoded downstream with the type the op declared. Encoding enforces an
 * inline cap per value, since Kafka records are not a place for bulk data.
 */
public final class JsonValues {

  /** Default largest encoded size of one value, in bytes: 1 MiB. */
  public static final int DEFAULT_INLINE_MAX_BYTES = 1024 * 1024;

  private static final ObjectMapper MAPPER = ConfigBinder.mapper();

  private final int inlineMaxBytes;

  private JsonValues(int inlineMaxBytes) {
    this.inlineMaxBytes = inlineMaxBytes;
  }

  /**
   * Returns a codec that refuses values over {@code inlineMaxBytes} when encoding.
   *
   * @param inlineMaxBytes largest encoded size of one value, in bytes
   * @return the codec
   */
  public static JsonValues withInlineCap(int inlineMaxBytes) {
    if (inlineMaxBytes < 1) {
      throw new IllegalArgumentException("inline cap must be positive, was " + inlineMaxBytes);
    }
    return new JsonValues(inlineMaxBytes);
  }

  /**
   * Returns the inline cap in bytes.
   *
   * @return the cap
   */
  public int inlineMaxBytes() {
    return inlineMaxBytes;
  }

  /**
   * Encodes every value as JSON, in the map's order.
   *
   * @param values values by name
   * @return JSON by name
   * @throws OutputTooLargeException if a value's JSON is over the cap
   * @throws OpflowException if a value cannot be written as JSON
   */
  public Map<String, String> encodeAll(Map<String, ?> values) {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach((name, value) -> out.put(name, encode(name, value)));
    return out;
  }

  /**
   * Encodes the values that can be, skipping those over the cap or not writable: for partial
   * outputs of a failed step, where the failure itself is the news.
   *
   * @param values values by name
   * @return JSON by name
   */
  public Map<String, String> encodeWhatFits(Map<String, ?> values) {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach(
        (name, value) -> {
          try {
            out.put(name, encode(name, value));
          } catch (OpflowException e) {
            // Dropped on purpose: the step already failed for another reason.
          }
        });
    return out;
  }

  /**
   * Encodes one value as JSON.
   *
   * @param name the value's name, for messages
   * @param value the value, may be null
   * @return its JSON
   * @throws OutputTooLargeException if the JSON is over the cap
   * @throws OpflowException if the value cannot be written as JSON
   */
  public String encode(String name, Object value) {
    byte[] json;
    try {
      json = MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new OpflowException(
          "output '"
              + name
              + "' of type "
              + (value == null ? "null" : value.getClass().getName())
              + " cannot be written as JSON: "
              + e.getOriginalMessage(),
          e);
    }
    if (json.length > inlineMaxBytes) {
      throw new OutputTooLargeException(name, json.length, inlineMaxBytes);
    }
    return new String(json, StandardCharsets.UTF_8);
  }

  /**
   * Decodes values with their declared types; a name without a declared type decodes to plain JSON
   * values (maps, lists, strings, numbers, booleans).
   *
   * @param json JSON by name
   * @param types declared type by name
   * @return values by name
   * @throws OpflowException naming the value that does not fit its type
   */
  public static Map<String, Object> decodeAll(
      Map<String, String> json, Map<String, Class<?>> types) {
    Map<String, Object> out = new LinkedHashMap<>();
    json.forEach(
        (name, text) -> out.put(name, decode(name, text, types.getOrDefault(name, Object.class))));
    return out;
  }

  /**
   * Decodes one value with its declared type.
   *
   * @param name the value's name, for messages
   * @param json its JSON
   * @param type the declared type
   * @param <T> the declared type
   * @return the value
   * @throws OpflowException if the JSON does not fit the type
   */
  public static <T> T decode(String name, String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new OpflowException(
          "value '"
              + name
              + "' does not decode as "
              + type.getName()
              + ": "
              + e.getOriginalMessage(),
          e);
    }
  }
}
