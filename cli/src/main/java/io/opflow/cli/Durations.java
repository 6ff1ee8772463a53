package io.opflow.cli;

import io.opflow.core.spi.DurationValues;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations as people write them: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, or
 * ISO-8601 ({@code PT10S}); the same forms a run config's {@code ops.<node>.timeout} takes.
 */
final class Durations implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return DurationValues.parseText(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration; write it as 500ms, 10s, 2m, 1h or PT10S");
    }
  }
}
