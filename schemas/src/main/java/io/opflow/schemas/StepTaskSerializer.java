package io.opflow.schemas;

import io.opflow.protocol.StepTask;

/**
 * Serializer of {@link StepTask} values (the {@code step-tasks} topic), with a no-argument
 * constructor.
 */
public final class StepTaskSerializer extends EventSerializer<StepTask> {

  /** Creates the serializer; Kafka clients call this when the class is named in properties. */
  public StepTaskSerializer() {
    super(StepTask.class);
  }
}
