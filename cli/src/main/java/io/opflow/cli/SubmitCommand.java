package io.opflow.cli;

import io.opflow.cli.internal.RunConfigFiles;
import io.opflow.client.OpflowClient;
import io.opflow.core.Definitions;
import io.opflow.core.config.RunConfig;
import java.nio.file.Path;
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
    description = {
      "Validate the run config, submit a run of a job and print its run id.",
      "The job comes from your definitions: every DefinitionsProvider registered on the class"
          + " path (java -cp opflow.jar:my-defs.jar io.opflow.cli.Main submit ...), or the one"
          + " named with --definitions; --example picks Opflow's example jobs instead (not in"
          + " the lean opflow.jar: in opflow-dev.jar and the opflow image).",
      "With --watch, progress is printed in causal order: the run's start, each step's start"
          + " and end followed by its hooks, and the run's end last."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:submitted (with --watch: the run succeeded)",
      "1:with --watch: the run failed, was canceled or did not end in time",
      "2:bad input: unknown job (the known ones are listed), invalid or missing run config file"
          + " (every problem with its path), no or conflicting definitions",
      "3:the Kafka broker did not answer within --connect-timeout"
    })
final class SubmitCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Spec CommandSpec spec;

  @Option(names = "--job", required = true, description = "Name of the job to run.")
  String job;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Run config file, YAML (.yaml, .yml) or JSON (.json).")
  Path configFile;

  @Mixin DefinitionsOptions definitions;

  @Mixin WatchOptions watching;

  @Override
  public Integer call() {
    Definitions loaded = definitions.load().definitions();
    loaded.job(job);
    RunConfig config = configFile == null ? RunConfig.empty() : RunConfigFiles.read(configFile);
    var out = spec.commandLine().getOut();
    try (OpflowClient client = kafka.client()) {
      return watching.report(client, client.submit(loaded, job, config), out);
    }
  }
}
