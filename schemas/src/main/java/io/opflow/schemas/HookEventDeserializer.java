package io.opflow.schemas;

import io.opflow.events.HookEvent;

/**
 * Deserializer of {@link HookEvent} values (the {@code hook-events} topic), with a no-argument
 * constructor. Undecodable bytes raise {@link EventDecodingException}.
 */
public final class HookEventDeserializer extends EventDeserializer<HookEvent> {

  /** Creates the deserializer; Kafka clients call this when the class is named in properties. */
  public HookEventDeserializer() {
    super(HookEvent.class);
  }
}
