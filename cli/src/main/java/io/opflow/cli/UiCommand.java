package io.opflow.cli;

import io.opflow.cli.internal.BadInputException;
import io.opflow.schemas.OpflowTopics;
import io.opflow.ui.UiServer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Serves the web UI until SIGTERM. */
@Command(
    name = "ui",
    mixinStandardHelpOptions = true,
    description =
        "Serve the web UI: runs, steps, attempts and hook outcomes, live, read from the event"
            + " topics. It only reads; kafka.* settings pass through to its consumer.")
final class UiCommand implements Callable<Integer> {
  @Mixin RoleOptions options;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "Port of the UI; 0 picks a free port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--max-runs",
      defaultValue = "10000",
      description =
          "How many runs the UI keeps in memory; the oldest ended runs go first (default:"
              + " ${DEFAULT-VALUE}).")
  int maxRuns;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    if (maxRuns < 1) {
      throw new BadInputException("--max-runs must be at least 1, got " + maxRuns);
    }
    if (!options.config.keySet().stream().allMatch(k -> k.startsWith("kafka."))) {
      throw new BadInputException(
          "the ui takes only kafka.* settings with --config; got "
              + String.join(", ", options.config.keySet()));
    }
    OpflowTopics topics = OpflowTopics.withPrefix(options.topicPrefix);
    PrintWriter out = spec.commandLine().getOut();
    return Roles.run(
        "ui",
        options,
        topics,
        null,
        registry -> {
          UiServer ui = UiServer.start(options.adminProps(), topics, port, maxRuns);
          out.println("ui at http://localhost:" + ui.port() + "/");
          return new Roles.Started(ui, ui::isHealthy, ui::failure);
        },
        out);
  }
}
