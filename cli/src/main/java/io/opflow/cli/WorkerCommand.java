package io.opflow.cli;

import io.opflow.cli.internal.DefinitionsLoader.Loaded;
import io.opflow.worker.Worker;
import io.opflow.worker.WorkerConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Runs a worker until SIGTERM. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description =
        "Run a worker: executes step tasks of the loaded definitions. Keys: opflow.worker.id,"
            + " opflow.worker.concurrency, opflow.worker.heartbeat.ms, kafka.* pass-through.")
final class WorkerCommand implements Callable<Integer> {
  @Mixin RoleOptions options;

  @Mixin DefinitionsOptions definitions;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    // The command serves /metrics and /health itself, with the reason when DOWN.
    WorkerConfig config =
        options.settings(
            WorkerConfig.configDef(),
            WorkerConfig::of,
            Map.of(WorkerConfig.METRICS_PORT_CONFIG, -1));
    Loaded loaded = definitions.load();
    return Roles.run(
        "worker",
        options,
        config.topics(),
        loaded.source(),
        registry -> {
          Worker worker = Worker.start(config, loaded.definitions(), registry);
          return new Roles.Started(worker, worker::isHealthy, worker::failure);
        },
        spec.commandLine().getOut());
  }
}
