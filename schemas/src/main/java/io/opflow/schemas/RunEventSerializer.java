package io.opflow.schemas;

import io.opflow.events.RunEvent;

/**
 * Serializer of {@link RunEvent} values (the {@code run-events} topic), with a no-argument
 * constructor.
 */
public final class RunEventSerializer extends EventSerializer<RunEvent> {

  /** Creates the serializer; Kafka clients call this when the class is named in properties. */
  public RunEventSerializer() {
    super(RunEvent.class);
  }
}
