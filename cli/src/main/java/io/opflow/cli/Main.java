package io.opflow.cli;

import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code opflow} command line: a dev cluster, the roles, and run submission and reading. */
@Command(
    name = "opflow",
    mixinStandardHelpOptions = true,
    version = "opflow 0.1.0-SNAPSHOT",
    description = "Opflow: a distributed step executor on Apache Kafka, with op hooks.",
    subcommands = {
      DevCommand.class,
      SubmitCommand.class,
      ReexecuteCommand.class,
      RunsCommand.class,
      EventsCommand.class,
      CoordinatorCommand.class,
      WorkerCommand.class,
      HooksRunnerCommand.class,
      HooksCommand.class,
      UiCommand.class,
      TopicsCommand.class,
      AclsCommand.class,
      UsersCommand.class,
      BrokerCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success (for submit --watch and dev: the run(s) ended as expected)",
      "1:a run failed, a role (coordinator, worker, hooks-runner) stopped on an error it cannot"
          + " recover from, a replayed or backfilled hook call errored or could not fire, or an"
          + " unexpected error",
      "2:bad input: unknown job or hook, invalid or missing run config file, unknown or invalid"
          + " setting, no or conflicting definitions, bad option",
      "3:the Kafka broker did not answer within --connect-timeout"
    })
public final class Main {
  /** Exit code when a run failed. */
  static final int RUN_FAILED = 1;

  /** Exit code when a role stopped on an error it cannot recover from. */
  static final int ROLE_FAILED = 1;

  /** Exit code for bad input. */
  static final int BAD_INPUT = 2;

  /** Exit code when the Kafka broker did not answer in time. */
  static final int BROKER_UNREACHABLE = 3;

  private Main() {}

  /**
   * Runs the command line and exits with its code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * Returns the configured command line, for tests.
   *
   * @return the command line
   */
  static CommandLine commandLine() {
    return new CommandLine(new Main())
        .registerConverter(Duration.class, new Durations())
        .setExecutionExceptionHandler(new ErrorPrinter())
        .setCaseInsensitiveEnumValuesAllowed(true);
  }
}
