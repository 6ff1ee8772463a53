package io.opflow.core.internal.config;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * Strict checks for scalar config values (strings, integers, numbers, booleans, enums, durations),
 * and the conversion of environment variable text into typed values.
 */
final class Scalars {
  private static final Map<Class<?>, long[]> INTEGER_RANGES =
      Map.of(
          byte.class, new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE},
          Byte.class, new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE},
          short.class, new long[] {Short.MIN_VALUE, Short.MAX_VALUE},
          Short.class, new long[] {Short.MIN_VALUE, Short.MAX_VALUE},
          int.class, new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE},
          Integer.class, new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE},
          long.class, new long[] {Long.MIN_VALUE, Long.MAX_VALUE},
          Long.class, new long[] {Long.MIN_VALUE, Long.MAX_VALUE});

  private static final String DURATION =
      "a duration (ISO-8601 such as \"PT5S\", or an integer of milliseconds)";

  private Scalars() {}

  /** Returns true for the scalar types config supports. */
  static boolean isScalar(Class<?> raw) {
    return raw == String.class
        || INTEGER_RANGES.containsKey(raw)
        || isFloating(raw)
        || isBoolean(raw)
        || raw.isEnum()
        || ConfigTypes.isDuration(raw);
  }

  /** Returns the short name of a scalar type. */
  static String name(Class<?> raw) {
    String expected = expected(raw);
    if (raw.isEnum()) {
      return expected;
    }
    return ConfigTypes.isDuration(raw) ? "duration" : expected.substring(expected.indexOf(' ') + 1);
  }

  /** Returns the name of a scalar type with an article. */
  static String expected(Class<?> raw) {
    if (raw == String.class) {
      return "a string";
    }
    if (INTEGER_RANGES.containsKey(raw)) {
      return "an integer";
    }
    if (isFloating(raw)) {
      return "a number";
    }
    if (isBoolean(raw)) {
      return "a boolean";
    }
    return raw.isEnum() ? "one of " + ConfigTypes.enumNames(raw) : DURATION;
  }

  /** Checks a present value against a scalar type; returns a message, or null if it fits. */
  static String check(Class<?> raw, JsonNode value) {
    long[] range = INTEGER_RANGES.get(raw);
    if (range != null) {
      return checkInteger(range, value);
    }
    return fits(raw, value) ? null : mismatch(raw, value);
  }

  private static boolean fits(Class<?> raw, JsonNode value) {
    if (raw == String.class) {
      return value.isTextual();
    }
    if (isFloating(raw)) {
      return value.isNumber();
    }
    if (isBoolean(raw)) {
      return value.isBoolean();
    }
    if (raw.isEnum()) {
      return value.isTextual() && isConstant(raw, value.textValue());
    }
    return DurationModule.parse(value.asToken(), value.asText()) != null;
  }

  private static String checkInteger(long[] range, JsonNode value) {
    if (!value.isIntegralNumber()) {
      return "expected an integer, got " + Describe.value(value);
    }
    BigInteger number = value.bigIntegerValue();
    if (!inRange(range, number)) {
      return "expected an integer between %d and %d, got %s"
          .formatted(range[0], range[1], value.toString());
    }
    return null;
  }

  private static boolean inRange(long[] range, BigInteger number) {
    return number.compareTo(BigInteger.valueOf(range[0])) >= 0
        && number.compareTo(BigInteger.valueOf(range[1])) <= 0;
  }

  /** Returns "expected X, got Y" for a value that does not fit a scalar type. */
  static String mismatch(Class<?> raw, JsonNode value) {
    return "expected " + expected(raw) + ", got " + Describe.value(value);
  }

  /**
   * Converts the text of an environment variable to a node of the scalar type, or returns null if
   * the text does not fit. Durations and enums stay text: their readers parse text.
   */
  static JsonNode fromText(Class<?> raw, String text) {
    String trimmed = text.trim();
    long[] range = INTEGER_RANGES.get(raw);
    if (range != null) {
      BigInteger number = parseInteger(trimmed);
      return number != null && inRange(range, number) ? LongNode.valueOf(number.longValue()) : null;
    }
    if (isFloating(raw)) {
      BigDecimal number = parseDecimal(trimmed);
      return number == null ? null : DoubleNode.valueOf(number.doubleValue());
    }
    return fromTextOther(raw, text, trimmed);
  }

  private static JsonNode fromTextOther(Class<?> raw, String text, String trimmed) {
    if (isBoolean(raw)) {
      boolean valid = trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false");
      return valid ? BooleanNode.valueOf(Boolean.parseBoolean(trimmed)) : null;
    }
    if (raw.isEnum()) {
      return isConstant(raw, trimmed) ? TextNode.valueOf(trimmed) : null;
    }
    if (ConfigTypes.isDuration(raw)) {
      Duration duration = parseDuration(trimmed);
      return duration == null ? null : TextNode.valueOf(duration.toString());
    }
    return TextNode.valueOf(text);
  }

  private static Duration parseDuration(String text) {
    Duration duration = DurationModule.parse(JsonToken.VALUE_STRING, text);
    return duration != null ? duration : DurationModule.parse(JsonToken.VALUE_NUMBER_INT, text);
  }

  private static BigInteger parseInteger(String text) {
    try {
      return new BigInteger(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static BigDecimal parseDecimal(String text) {
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean isConstant(Class<?> raw, String name) {
    return Arrays.stream(raw.getEnumConstants()).anyMatch(c -> ((Enum<?>) c).name().equals(name));
  }

  private static boolean isFloating(Class<?> raw) {
    return raw == double.class || raw == Double.class || raw == float.class || raw == Float.class;
  }

  private static boolean isBoolean(Class<?> raw) {
    return raw == boolean.class || raw == Boolean.class;
  }
}
