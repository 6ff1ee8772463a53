package io.opflow.core.internal.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Reads and writes {@link Duration} as config expects it: an ISO-8601 string such as {@code PT5S},
 * or an integer of milliseconds. Core has no JavaTimeModule, and run config only needs durations.
 */
public final class DurationModule extends SimpleModule {
  private static final long serialVersionUID = 1L;

  public DurationModule() {
    super("opflow-config-duration");
    addSerializer(Duration.class, new Writer());
    addDeserializer(Duration.class, new Reader());
  }

  /** Parses a duration from text or milliseconds, or returns null if it is neither. */
  static Duration parse(JsonToken token, String text) {
    try {
      if (token == JsonToken.VALUE_NUMBER_INT) {
        return Duration.ofMillis(Long.parseLong(text));
      }
      return token == JsonToken.VALUE_STRING ? Duration.parse(text) : null;
    } catch (NumberFormatException | DateTimeParseException e) {
      return null;
    }
  }

  private static final class Writer extends StdScalarSerializer<Duration> {
    private static final long serialVersionUID = 1L;

    Writer() {
      super(Duration.class);
    }

    @Override
    public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(value.toString());
    }
  }

  private static final class Reader extends StdScalarDeserializer<Duration> {
    private static final long serialVersionUID = 1L;

    Reader() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      Duration duration = parse(parser.currentToken(), parser.getText());
      if (duration == null) {
        return (Duration) context.handleUnexpectedToken(Duration.class, parser);
      }
      return duration;
    }
  }
}
