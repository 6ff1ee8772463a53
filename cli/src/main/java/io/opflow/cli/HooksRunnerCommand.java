package io.opflow.cli;

import io.opflow.cli.internal.DefinitionsLoader.Loaded;
import io.opflow.hooks.HooksRunner;
import io.opflow.hooks.HooksRunnerConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Runs a hooks-runner until SIGTERM. */
@Command(
    name = "hooks-runner",
    mixinStandardHelpOptions = true,
    description =
        "Run a hooks-runner: fires the hooks of terminal steps and the run status sensors. Keys:"
            + " opflow.hooks.group.id, opflow.hooks.include and opflow.hooks.exclude (one lane of"
            + " hooks per group), opflow.hooks.threads, kafka.* pass-through.")
final class HooksRunnerCommand implements Callable<Integer> {
  @Mixin RoleOptions options;

  @Mixin DefinitionsOptions definitions;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    // The command serves /metrics and /health itself, with the reason when DOWN.
    HooksRunnerConfig config =
        options.settings(
            HooksRunnerConfig.configDef(),
            HooksRunnerConfig::of,
            Map.of(HooksRunnerConfig.METRICS_PORT_CONFIG, -1));
    Loaded loaded = definitions.load();
    return Roles.run(
        "hooks-runner",
        options,
        config.topics(),
        loaded.source(),
        registry -> {
          HooksRunner runner = HooksRunner.start(config, loaded.definitions(), registry);
          return new Roles.Started(runner, runner::isHealthy, runner::failure);
        },
        spec.commandLine().getOut());
  }
}
