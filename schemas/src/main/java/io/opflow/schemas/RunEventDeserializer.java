package io.opflow.schemas;

import io.opflow.events.RunEvent;

/**
 * Deserializer of {@link RunEvent} values (the {@code run-events} topic), with a no-argument
 * constructor. Undecodable bytes raise {@link EventDecodingException}.
 */
public final class RunEventDeserializer extends EventDeserializer<RunEvent> {

  /** Creates the deserializer; Kafka clients call this when the class is named in properties. */
  public RunEventDeserializer() {
    super(RunEvent.class);
  }
}
