package io.opflow.cli;

import io.opflow.coordinator.Coordinator;
import io.opflow.coordinator.CoordinatorConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Runs a coordinator until SIGTERM. */
@Command(
    name = "coordinator",
    mixinStandardHelpOptions = true,
    description =
        "Run a coordinator: plans runs and advances them (Kafka Streams). It loads no user code."
            + " Keys: bootstrap.servers, opflow.topic.prefix, opflow.lease.ms, opflow.state.dir,"
            + " opflow.coordinator.application.id, kafka.* pass-through.")
final class CoordinatorCommand implements Callable<Integer> {
  @Mixin RoleOptions options;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    CoordinatorConfig config =
        options.settings(CoordinatorConfig.configDef(), CoordinatorConfig::new, Map.of());
    return Roles.run(
        "coordinator",
        options,
        config.topics(),
        null,
        registry -> {
          Coordinator coordinator = Coordinator.start(config, registry);
          return new Roles.Started(coordinator, coordinator::isRunning, coordinator::failure);
        },
        spec.commandLine().getOut());
  }
}
