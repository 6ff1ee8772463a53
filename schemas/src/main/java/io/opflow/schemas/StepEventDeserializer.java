package io.opflow.schemas;

import io.opflow.events.StepEvent;

/**
 * Deserializer of {@link StepEvent} values (the {@code step-events} topic), with a no-argument
 * constructor. Undecodable bytes raise {@link EventDecodingException}.
 */
public final class StepEventDeserializer extends EventDeserializer<StepEvent> {

  /** Creates the deserializer; Kafka clients call this when the class is named in properties. */
  public StepEventDeserializer() {
    super(StepEvent.class);
  }
}
