package io.opflow.dev;

import io.opflow.cli.spi.CommandProvider;
import java.util.List;

/**
 * Adds {@code dev} and {@code broker} to the {@code opflow} command line: registered in {@code
 * META-INF/services/io.opflow.cli.spi.CommandProvider}, so {@code java -jar opflow-dev.jar} (or
 * this module on the class path of {@code io.opflow.cli.Main}) has them.
 */
public final class DevCommands implements CommandProvider {
  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public DevCommands() {}

  @Override
  public List<Object> commands() {
    return List.of(new DevCommand(), new BrokerCommand());
  }
}
