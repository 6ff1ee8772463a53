package io.opflow.cli;

import io.opflow.cli.internal.BadInputException;
import io.opflow.cli.internal.DefinitionsLoader;
import io.opflow.cli.internal.DefinitionsLoader.Loaded;
import picocli.CommandLine.Option;

/**
 * Which definitions a command loads: by default the user's, found on the class path; one provider
 * named by class; or Opflow's example.
 */
final class DefinitionsOptions {
  @Option(
      names = "--definitions",
      paramLabel = "CLASS",
      description =
          "Class name of the DefinitionsProvider to load. Default: every provider registered in"
              + " META-INF/services/io.opflow.core.DefinitionsProvider on the class path (your"
              + " jar; in the image, the jars in /opt/opflow/definitions/), combined; Opflow's"
              + " example is never among them.")
  String definitionsClass;

  @Option(
      names = "--example",
      description =
          "Load Opflow's example definitions (the jobs dev runs) instead of yours. The lean"
              + " opflow.jar does not carry them: opflow-dev.jar and the opflow image do, or add"
              + " examples/slack-hooks/target/opflow-example-slack-hooks.jar to the class path.")
  boolean example;

  /** Returns whether definitions were asked for by an option. */
  boolean requested() {
    return example || definitionsClass != null;
  }

  /** Loads the chosen definitions; refuses both options at once. */
  Loaded load() {
    if (example && definitionsClass != null) {
      throw new BadInputException(
          "--example and --definitions " + definitionsClass + " exclude each other; give one");
    }
    if (example) {
      return DefinitionsLoader.example();
    }
    if (definitionsClass != null) {
      return DefinitionsLoader.byClass(definitionsClass);
    }
    return DefinitionsLoader.found(Thread.currentThread().getContextClassLoader());
  }
}
