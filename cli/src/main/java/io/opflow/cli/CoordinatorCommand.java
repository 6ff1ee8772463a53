package io.opflow.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opflow.coordinator.Coordinator;
import io.opflow.coordinator.CoordinatorConfig;
import io.opflow.runtime.ObservabilityServer;
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
        "Run a coordinator: plans runs and advances them (Kafka Streams). Keys: bootstrap.servers,"
            + " opflow.topic.prefix, opflow.lease.ms, opflow.state.dir, opflow.coordinator"
            + ".application.id, kafka.* pass-through.")
final class CoordinatorCommand implements Callable<Integer> {
  @Mixin RoleOptions options;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    options.ensureTopics();
    PrometheusMeterRegistry registry = Roles.registry();
    Coordinator coordinator = Coordinator.start(new CoordinatorConfig(options.props()), registry);
    ObservabilityServer http =
        ObservabilityServer.start(options.metricsPort, registry, coordinator::isRunning);
    AutoCloseable both =
        () -> {
          http.close();
          coordinator.close();
        };
    return Roles.runUntilStopped("coordinator", both, http.port(), spec.commandLine().getOut());
  }
}
