package io.opflow.schemas;

import io.opflow.protocol.StepTask;

/**
 * Deserializer of {@link StepTask} values (the {@code step-tasks} topic), with a no-argument
 * constructor. Undecodable bytes raise {@link EventDecodingException}.
 */
public final class StepTaskDeserializer extends EventDeserializer<StepTask> {

  /** Creates the deserializer; Kafka clients call this when the class is named in properties. */
  public StepTaskDeserializer() {
    super(StepTask.class);
  }
}
