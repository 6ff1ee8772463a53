package io.opflow.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * Stands in the lean {@code opflow.jar} for a command that needs an embedded Kafka broker, which
 * only {@code opflow-dev.jar} carries: it says which jar to run instead, whatever the arguments.
 */
abstract class DevJarOnly implements Callable<Integer> {
  /** Where {@code mvn package} puts the jar that has the command, from the repository's root. */
  static final String DEV_JAR = "dev/target/opflow-dev.jar";

  @Spec CommandSpec spec;

  @Unmatched List<String> arguments;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    String name = spec.name();
    err.println(
        "error: opflow "
            + name
            + " runs an embedded Kafka broker, and opflow.jar carries none (it is the lean jar"
            + " for clusters). Run it from opflow-dev.jar, which mvn package builds beside it: java"
            + " -jar "
            + DEV_JAR
            + " "
            + name
            + (arguments == null || arguments.isEmpty() ? "" : " " + String.join(" ", arguments)));
    err.flush();
    return Main.BAD_INPUT;
  }

  /** {@code dev}, in {@code opflow-dev.jar} only. */
  @Command(
      name = "dev",
      description =
          "Start an embedded Kafka broker and every role in one JVM and run the example job: in"
              + " opflow-dev.jar only (java -jar "
              + DEV_JAR
              + " dev).")
  static final class Dev extends DevJarOnly {}

  /** {@code broker}, in {@code opflow-dev.jar} only. */
  @Command(
      name = "broker",
      description =
          "Run a single-node Kafka broker for trying Opflow on one machine: in opflow-dev.jar"
              + " only (java -jar "
              + DEV_JAR
              + " broker).")
  static final class Broker extends DevJarOnly {}
}
