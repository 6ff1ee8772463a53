package io.opflow.cli;

import io.opflow.worker.Worker;
import io.opflow.worker.WorkerConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

  @Spec CommandSpec spec;

  @Option(
      names = "--definitions",
      description = "Class name of the DefinitionsProvider; default: ServiceLoader.")
  String definitionsClass;

  @Override
  public Integer call() throws InterruptedException {
    options.ensureTopics();
    Map<String, Object> props = options.props();
    props.put(WorkerConfig.METRICS_PORT_CONFIG, options.metricsPort);
    Worker worker =
        Worker.start(WorkerConfig.of(props), Roles.definitions(definitionsClass), Roles.registry());
    return Roles.runUntilStopped(
        "worker", worker, worker.observabilityPort(), spec.commandLine().getOut());
  }
}
