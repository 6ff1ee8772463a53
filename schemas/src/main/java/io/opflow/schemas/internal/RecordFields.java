package io.opflow.schemas.internal;

import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads the fields that go into headers from any Opflow event, by field name.
 *
 * <p>Every envelope carries {@code runId} either itself or in its payload ({@code RunCommand}), and
 * the event type is the payload's record name, or the record's own name when it has no payload
 * ({@code StepTask}).
 */
public final class RecordFields {

  private RecordFields() {}

  /** Returns the simple name of the payload record, or of the record itself without payload. */
  public static String eventType(SpecificRecord record) {
    return payload(record).orElse(record).getSchema().getName();
  }

  /** Returns the run id of the record or of its payload. */
  public static Optional<String> runId(SpecificRecord record) {
    return field(record, "runId").or(() -> payload(record).flatMap(p -> field(p, "runId")));
  }

  /** Returns the step key of the record, when it has one. */
  public static Optional<String> stepKey(SpecificRecord record) {
    return field(record, "stepKey");
  }

  private static Optional<SpecificRecord> payload(SpecificRecord record) {
    Schema.Field field = record.getSchema().getField("payload");
    if (field == null) {
      return Optional.empty();
    }
    Object value = record.get(field.pos());
    return value instanceof SpecificRecord payload ? Optional.of(payload) : Optional.empty();
  }

  private static Optional<String> field(SpecificRecord record, String name) {
    Schema.Field field = record.getSchema().getField(name);
    if (field == null) {
      return Optional.empty();
    }
    Object value = record.get(field.pos());
    return Optional.ofNullable(value).map(Object::toString);
  }
}
