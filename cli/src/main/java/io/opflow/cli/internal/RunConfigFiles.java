package io.opflow.cli.internal;

import io.opflow.core.OpflowException;
import io.opflow.core.config.InvalidRunConfigException;
import io.opflow.core.config.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a run config file named on the command line, saying plainly what is wrong with it. */
public final class RunConfigFiles {
  private RunConfigFiles() {}

  /**
   * Reads a YAML or JSON run config file.
   *
   * @param file the file
   * @return the run config
   * @throws BadInputException when the file does not exist, is a directory or cannot be read
   * @throws InvalidRunConfigException when its content is not a valid run config
   */
  public static RunConfig read(Path file) {
    if (!Files.exists(file)) {
      throw new BadInputException(
          "run config file "
              + file
              + " does not exist"
              + (file.isAbsolute() ? "" : " (relative to " + Path.of("").toAbsolutePath() + ")"));
    }
    if (Files.isDirectory(file)) {
      throw new BadInputException(
          "run config file " + file + " is a directory; name a .yaml, .yml or .json file");
    }
    if (!Files.isReadable(file)) {
      throw new BadInputException(
          "run config file " + file + " cannot be read: check its permissions");
    }
    try {
      return RunConfig.fromFile(file);
    } catch (InvalidRunConfigException e) {
      throw e;
    } catch (OpflowException e) {
      throw new BadInputException(e.getMessage());
    }
  }
}
