package io.opflow.cli;

import io.opflow.client.OpflowClient;
import io.opflow.client.RunOutcome;
import io.opflow.client.RunWatch;
import io.opflow.core.Definitions;
import io.opflow.core.config.RunConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Validates a run config, submits a run and prints its id; optionally follows it. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = "Validate the run config, submit a run of a job and print its run id.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:submitted (with --watch: the run succeeded)",
      "1:with --watch: the run failed, was canceled or did not end in time",
      "2:bad input: unknown job (the known ones are listed), invalid run config (every problem"
          + " with its path)"
    })
final class SubmitCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Spec CommandSpec spec;

  @Option(names = "--job", required = true, description = "Name of the job to run.")
  String job;

  @Option(names = "--config", description = "Run config file, YAML or JSON.")
  Path configFile;

  @Option(
      names = "--definitions",
      description =
          "Class name of the DefinitionsProvider; default: every provider found by ServiceLoader.")
  String definitionsClass;

  @Option(names = "--watch", description = "Follow the run and print its progress until it ends.")
  boolean watch;

  @Option(
      names = "--timeout",
      defaultValue = "PT10M",
      description = "With --watch, how long to wait (ISO-8601, default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    Definitions definitions = Roles.definitions(definitionsClass);
    RunConfig config = configFile == null ? RunConfig.empty() : RunConfig.fromFile(configFile);
    var out = spec.commandLine().getOut();
    try (OpflowClient client = kafka.client()) {
      String runId = client.submit(definitions, job, config);
      out.println(runId);
      out.flush();
      if (!watch) {
        return 0;
      }
      try (RunWatch w = client.watch(runId)) {
        RunOutcome outcome = w.onUpdate(Progress.printer(out)).await(timeout);
        Progress.printFinal(out, outcome);
        return outcome.succeeded() ? 0 : Main.RUN_FAILED;
      }
    }
  }
}
