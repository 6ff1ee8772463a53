package io.opflow.schemas;

import io.opflow.events.HookEvent;

/**
 * Serializer of {@link HookEvent} values (the {@code hook-events} topic), with a no-argument
 * constructor.
 */
public final class HookEventSerializer extends EventSerializer<HookEvent> {

  /** Creates the serializer; Kafka clients call this when the class is named in properties. */
  public HookEventSerializer() {
    super(HookEvent.class);
  }
}
