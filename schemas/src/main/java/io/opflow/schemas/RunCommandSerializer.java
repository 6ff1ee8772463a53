package io.opflow.schemas;

import io.opflow.protocol.RunCommand;

/**
 * Serializer of {@link RunCommand} values (the {@code runs} topic), with a no-argument constructor.
 */
public final class RunCommandSerializer extends EventSerializer<RunCommand> {

  /** Creates the serializer; Kafka clients call this when the class is named in properties. */
  public RunCommandSerializer() {
    super(RunCommand.class);
  }
}
