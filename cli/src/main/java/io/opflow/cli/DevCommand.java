package io.opflow.cli;

import io.opflow.cli.internal.DefinitionsLoader;
import io.opflow.client.RunOutcome;
import io.opflow.client.RunWatch;
import io.opflow.core.Definitions;
import io.opflow.core.config.RunConfig;
import io.opflow.examples.slack.ExampleDefinitions;
import io.opflow.testkit.cluster.OpflowCluster;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Starts a whole cluster in this JVM around the example definitions, runs the example job once to
 * success and once to failure, prints the progress, and stops.
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description =
        "Start an embedded Kafka broker, a coordinator, 2 workers and a hooks-runner in this JVM,"
            + " run notif_all_dev once to success and once with ops.a.config.fail: true, print"
            + " the progress, then stop.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the first run succeeded and the second failed", "1:anything else"})
final class DevCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--timeout",
      defaultValue = "30s",
      paramLabel = "DURATION",
      description = "How long each run may take (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Definitions definitions = DefinitionsLoader.example().definitions();
    out.println(
        "starting an embedded Kafka broker, a coordinator, 2 workers and a hooks-runner...");
    out.flush();
    try (OpflowCluster cluster =
        OpflowCluster.builder().definitions(definitions).workers(2).build().start()) {
      out.println("cluster up at " + cluster.bootstrapServers());
      RunOutcome ok = run(cluster, definitions, RunConfig.empty(), out);
      RunOutcome failed = run(cluster, definitions, failingConfig(), out);
      out.println(
          "metrics of worker 0: http://localhost:" + cluster.workerMetricsPort(0) + "/metrics");
      boolean asExpected = ok.succeeded() && "FAILED".equals(failed.status());
      out.println(
          asExpected
              ? "dev: OK (first run succeeded, second failed as asked); stopping"
              : "dev: UNEXPECTED (first " + ok.status() + ", second " + failed.status() + ")");
      out.flush();
      return asExpected ? 0 : Main.RUN_FAILED;
    }
  }

  private RunOutcome run(
      OpflowCluster cluster, Definitions definitions, RunConfig config, PrintWriter out) {
    String runId = cluster.client().submit(definitions, ExampleDefinitions.DEV_JOB, config);
    out.println("submitted " + ExampleDefinitions.DEV_JOB + " run " + runId + " with " + config);
    try (RunWatch watch = cluster.client().watch(runId)) {
      RunOutcome outcome = watch.onUpdate(Progress.printer(out)).await(timeout);
      Progress.printFinal(out, outcome);
      return outcome;
    }
  }

  private static RunConfig failingConfig() {
    return RunConfig.fromMap(Map.of("ops", Map.of("a", Map.of("config", Map.of("fail", true)))));
  }
}
