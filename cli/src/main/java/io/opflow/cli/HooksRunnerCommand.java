package io.opflow.cli;

import io.opflow.hooks.HooksRunner;
import io.opflow.hooks.HooksRunnerConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs a hooks-runner until SIGTERM. */
@Command(
    name = "hooks-runner",
    mixinStandardHelpOptions = true,
    description =
        "Run a hooks-runner: fires the hooks of terminal steps and the run status sensors. Keys:"
            + " opflow.hooks.group.id, opflow.hooks.threads, kafka.* pass-through.")
final class HooksRunnerCommand implements Callable<Integer> {
  @Mixin RoleOptions options;

  @Spec CommandSpec spec;

  @Option(
      names = "--definitions",
      description = "Class name of the DefinitionsProvider; default: ServiceLoader.")
  String definitionsClass;

  @Override
  public Integer call() throws InterruptedException {
    options.ensureTopics();
    Map<String, Object> props = options.props();
    props.put(HooksRunnerConfig.METRICS_PORT_CONFIG, options.metricsPort);
    HooksRunner runner =
        HooksRunner.start(
            HooksRunnerConfig.of(props), Roles.definitions(definitionsClass), Roles.registry());
    return Roles.runUntilStopped(
        "hooks-runner", runner, runner.observabilityPort(), spec.commandLine().getOut());
  }
}
