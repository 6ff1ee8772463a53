package io.opflow.cli;

import io.opflow.cli.spi.CommandProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code opflow} command line: the roles, and run submission and reading; with {@code
 * opflow-dev.jar} on the class path also a dev cluster and a local broker ({@link
 * CommandProvider}).
 */
@Command(
    name = "opflow",
    mixinStandardHelpOptions = true,
    version = "opflow 0.1.0-SNAPSHOT",
    description = "Opflow: a distributed step executor on Apache Kafka, with op hooks.",
    subcommands = {
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
      UsersCommand.class
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
  public static final int RUN_FAILED = 1;

  /** Exit code when a role stopped on an error it cannot recover from. */
  public static final int ROLE_FAILED = 1;

  /** Exit code for bad input. */
  public static final int BAD_INPUT = 2;

  /** Exit code when the Kafka broker did not answer in time. */
  public static final int BROKER_UNREACHABLE = 3;

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
   * Returns the configured command line: the commands of this jar, {@code dev} and {@code broker}
   * first, from a {@link CommandProvider} on the class path ({@code opflow-dev.jar}) or else as
   * stand-ins that say which jar has them, then those that providers add.
   *
   * @return the command line
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    Map<String, Object> provided = providedCommands();
    List<Object> first = new ArrayList<>();
    first.add(provided.containsKey("dev") ? provided.remove("dev") : new DevJarOnly.Dev());
    first.add(provided.containsKey("broker") ? provided.remove("broker") : new DevJarOnly.Broker());
    // Subcommands print in the order they were added: put dev and broker before the annotation's.
    Map<String, CommandLine> lean = new LinkedHashMap<>(cli.getSubcommands());
    lean.keySet().forEach(name -> cli.getCommandSpec().removeSubcommand(name));
    first.forEach(cli::addSubcommand);
    lean.values().forEach(sub -> cli.addSubcommand(sub.getCommandName(), sub));
    provided.values().forEach(cli::addSubcommand);
    return cli.registerConverter(Duration.class, new Durations())
        .setExecutionExceptionHandler(new ErrorPrinter())
        .setCaseInsensitiveEnumValuesAllowed(true);
  }

  private static Map<String, Object> providedCommands() {
    Map<String, Object> byName = new LinkedHashMap<>();
    for (CommandProvider provider :
        ServiceLoader.load(CommandProvider.class, Main.class.getClassLoader())) {
      for (Object command : provider.commands()) {
        byName.put(new CommandLine(command).getCommandName(), command);
      }
    }
    return byName;
  }
}
