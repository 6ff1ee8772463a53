package io.opflow.schemas;

import io.opflow.events.StepEvent;

/**
 * Serializer of {@link StepEvent} values (the {@code step-events} topic), with a no-argument
 * constructor.
 */
public final class StepEventSerializer extends EventSerializer<StepEvent> {

  /** Creates the serializer; Kafka clients call this when the class is named in properties. */
  public StepEventSerializer() {
    super(StepEvent.class);
  }
}
