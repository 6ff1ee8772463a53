package io.opflow.coordinator.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.opflow.core.execution.RunStatus;
import java.io.IOException;
import java.util.Map;

/**
 * How a {@link RunStatus} is kept in the coordinator's stores: by the names it had before it took
 * the glossary's past participles ({@code SUCCESS}, {@code FAILURE}, {@code CANCELED}), so that
 * coordinators on either side of that rename read each other's finished runs. Both spellings are
 * read.
 */
final class StoredRunStatus {
  private static final Map<RunStatus, String> STORED =
      Map.of(
          RunStatus.SUCCEEDED, "SUCCESS",
          RunStatus.FAILED, "FAILURE",
          RunStatus.CANCELED, "CANCELED");

  private StoredRunStatus() {}

  /** Returns the Jackson module that writes and reads run statuses in their stored form. */
  static SimpleModule module() {
    return new SimpleModule("opflow-stored-run-status")
        .addSerializer(RunStatus.class, new Writer())
        .addDeserializer(RunStatus.class, new Reader());
  }

  /** Returns the status a stored name stands for, in either spelling. */
  static RunStatus parse(String stored) {
    for (Map.Entry<RunStatus, String> entry : STORED.entrySet()) {
      if (entry.getValue().equals(stored) || entry.getKey().name().equals(stored)) {
        return entry.getKey();
      }
    }
    throw new IllegalArgumentException("not a stored run status: " + stored);
  }

  private static final class Writer extends StdSerializer<RunStatus> {
    private static final long serialVersionUID = 1L;

    Writer() {
      super(RunStatus.class);
    }

    @Override
    public void serialize(RunStatus value, JsonGenerator out, SerializerProvider provider)
        throws IOException {
      out.writeString(STORED.get(value));
    }
  }

  private static final class Reader extends StdDeserializer<RunStatus> {
    private static final long serialVersionUID = 1L;

    Reader() {
      super(RunStatus.class);
    }

    @Override
    public RunStatus deserialize(JsonParser in, DeserializationContext context) throws IOException {
      return parse(in.getValueAsString());
    }
  }
}
