package io.opflow.dev;

import io.opflow.cli.Main;
import io.opflow.cli.spi.RunPrinting;
import io.opflow.client.RunOutcome;
import io.opflow.client.RunWatch;
import io.opflow.core.Definitions;
import io.opflow.core.config.RunConfig;
import io.opflow.examples.slack.ExampleDefinitions;
import io.opflow.testkit.cluster.OpflowCluster;
import io.opflow.ui.UiOptions;
import io.opflow.ui.UiServer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Starts a whole cluster in this JVM around the example definitions, runs the example job once to
 * success and once to failure, prints the progress, and stops; with {@code --ui}, serves the web UI
 * too and keeps running until asked to stop.
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

  @Option(
      names = "--ui",
      description =
          "Also serve the web UI (on --ui-port), and keep everything running after the two runs"
              + " until Ctrl-C or SIGTERM.")
  boolean ui;

  @Option(
      names = "--ui-port",
      defaultValue = "8080",
      description = "Port of the web UI with --ui; 0 picks a free port (default ${DEFAULT-VALUE}).")
  int uiPort;

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public Integer call() throws InterruptedException {
    try {
      return runCluster();
    } finally {
      stopped.countDown();
    }
  }

  private int runCluster() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Definitions definitions = new ExampleDefinitions().definitions();
    out.println(
        "starting an embedded Kafka broker, a coordinator, 2 workers and a hooks-runner...");
    out.flush();
    try (OpflowCluster cluster =
            OpflowCluster.builder().definitions(definitions).workers(2).build().start();
        UiServer uiServer = ui ? startUi(cluster, definitions, out) : null) {
      out.println("cluster up at " + cluster.bootstrapServers());
      RunOutcome ok = run(cluster, definitions, RunConfig.empty(), out);
      RunOutcome failed = run(cluster, definitions, failingConfig(), out);
      out.println(
          "metrics of worker 0: http://localhost:" + cluster.workerMetricsPort(0) + "/metrics");
      boolean asExpected = ok.succeeded() && "FAILED".equals(failed.status());
      out.println(
          asExpected
              ? "dev: OK (first run succeeded, second failed as asked)" + (ui ? "" : "; stopping")
              : "dev: UNEXPECTED (first " + ok.status() + ", second " + failed.status() + ")");
      if (uiServer != null) {
        out.println(
            "dev: the cluster and the UI at http://localhost:"
                + uiServer.port()
                + "/ keep running; Ctrl-C stops them");
        out.flush();
        awaitStopRequest();
      }
      out.flush();
      return asExpected ? 0 : Main.RUN_FAILED;
    }
  }

  private UiServer startUi(OpflowCluster cluster, Definitions definitions, PrintWriter out) {
    UiServer server =
        UiServer.start(
            Map.of("bootstrap.servers", cluster.bootstrapServers()),
            cluster.topics(),
            UiOptions.defaults().withPort(uiPort),
            definitions);
    out.println("ui at http://localhost:" + server.port() + "/");
    return server;
  }

  // Until SIGTERM or Ctrl-C; the JVM then waits (a little) for the cluster to close cleanly.
  private void awaitStopRequest() throws InterruptedException {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopRequested.countDown();
                  try {
                    stopped.await(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "opflow-dev-stop"));
    stopRequested.await();
  }

  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private RunOutcome run(
      OpflowCluster cluster, Definitions definitions, RunConfig config, PrintWriter out) {
    String runId = cluster.client().submit(definitions, ExampleDefinitions.DEV_JOB, config);
    out.println("submitted " + ExampleDefinitions.DEV_JOB + " run " + runId + " with " + config);
    try (RunWatch watch = cluster.client().watch(runId)) {
      RunOutcome outcome = watch.onUpdate(RunPrinting.printer(out)).await(timeout);
      RunPrinting.printFinal(out, outcome);
      return outcome;
    }
  }

  private static RunConfig failingConfig() {
    return RunConfig.fromMap(Map.of("ops", Map.of("a", Map.of("config", Map.of("fail", true)))));
  }
}
