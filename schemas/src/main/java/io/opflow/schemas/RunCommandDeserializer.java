package io.opflow.schemas;

import io.opflow.protocol.RunCommand;

/**
 * Deserializer of {@link RunCommand} values (the {@code runs} topic), with a no-argument
 * constructor. Undecodable bytes raise {@link EventDecodingException}.
 */
public final class RunCommandDeserializer extends EventDeserializer<RunCommand> {

  /** Creates the deserializer; Kafka clients call this when the class is named in properties. */
  public RunCommandDeserializer() {
    super(RunCommand.class);
  }
}
