package io.opflow.cli.spi;

import java.util.List;

/**
 * Adds commands to the {@code opflow} command line from a jar on its class path, found with {@link
 * java.util.ServiceLoader} (register the class in {@code
 * META-INF/services/io.opflow.cli.spi.CommandProvider}).
 *
 * <p>This is how {@code opflow-dev.jar} brings {@code dev} and {@code broker}, which need an
 * embedded Kafka broker, to the same command line without putting a broker in the lean {@code
 * opflow.jar}. A provided command replaces the lean jar's stand-in of the same name, which only
 * says which jar to use.
 */
public interface CommandProvider {
  /**
   * Returns new instances of the commands to add, each a picocli {@code @Command}.
   *
   * @return the commands, in the order the help lists them
   */
  List<Object> commands();
}
