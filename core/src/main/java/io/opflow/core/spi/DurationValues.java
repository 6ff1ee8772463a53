package io.opflow.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a duration written in a run config: a number of seconds ({@code 30}), a number with a unit
 * ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}), or ISO-8601 ({@code PT1M30S}).
 */
public final class DurationValues {
  /** What a problem message says a duration looks like. */
  public static final String EXPECTED =
      "a positive duration such as 30s, 500ms, 5m, 2h, PT1M30S or a number of seconds";

  private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

  private DurationValues() {}

  /**
   * Parses a positive duration.
   *
   * @param value a number or a string
   * @return the duration
   * @throws IllegalArgumentException when the value is not a positive duration
   */
  public static Duration parse(JsonNode value) {
    Duration duration = parseAny(value);
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException("expected " + EXPECTED + ", got " + value);
    }
    return duration;
  }

  private static Duration parseAny(JsonNode value) {
    if (value.isNumber()) {
      return Duration.ofMillis(Math.round(value.asDouble() * 1000));
    }
    if (value.isTextual()) {
      return parseText(value.asText());
    }
    throw new IllegalArgumentException("expected " + EXPECTED + ", got " + value);
  }

  /**
   * Parses a duration written as text: a number with a unit ({@code 500ms}, {@code 30s}, {@code
   * 5m}, {@code 2h}) or ISO-8601 ({@code PT1M30S}); zero and negative durations are returned as
   * they are.
   *
   * @param text the text
   * @return the duration
   * @throws IllegalArgumentException when the text is neither form
   */
  public static Duration parseText(String text) {
    String trimmed = text.trim();
    Matcher matcher = WITH_UNIT.matcher(trimmed.toLowerCase(Locale.ROOT));
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
    }
    try {
      return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("expected " + EXPECTED + ", got '" + text + "'", e);
    }
  }
}
