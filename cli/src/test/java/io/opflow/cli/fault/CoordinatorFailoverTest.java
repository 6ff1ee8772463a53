package io.opflow.cli.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opflow.client.OpflowClient;
import io.opflow.client.RunUpdate;
import io.opflow.core.config.RunConfig;
import io.opflow.hooks.HooksRunner;
import io.opflow.hooks.HooksRunnerConfig;
import io.opflow.testkit.FreePorts;
import io.opflow.testkit.KafkaBrokerExtension;
import io.opflow.worker.Worker;
import io.opflow.worker.WorkerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A coordinator failover on real processes: two coordinators of one application id in JVMs of their
 * own share the runs; one is killed with -9 while steps run. The other takes its partitions over
 * within the session timeout (6 s), from its standby copy of their state, and every run ends once,
 * successfully, with no step declared lost: the steps' leases restart when their partition moves,
 * and their workers renew them.
 */
@Tag("fault")
@Timeout(240)
class CoordinatorFailoverTest {
  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  private static final int RUNS = 12;

  /**
   * Tells the short session from the client's default, not a speed goal: without the coordinator's
   * 6 s session the takeover cannot start before 45 s have passed. Measured: 8.5 s on a quiet
   * 2-core machine, 18.4 s on a loaded CI machine (docs/coordinator.md); the figure is printed.
   */
  private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(40);

  private final List<Process> coordinators = new ArrayList<>();
  private final String applicationId = "failover-" + UUID.randomUUID();
  private Worker worker;
  private HooksRunner hooks;

  @AfterEach
  void stop() throws InterruptedException {
    if (worker != null) {
      worker.close();
    }
    if (hooks != null) {
      hooks.close();
    }
    for (Process process : coordinators) {
      process.destroyForcibly().waitFor();
    }
  }

  @Test
  void killingOneOfTwoCoordinatorsMidStepEndsEveryRunOnceAndTheOtherTakesOverWithinSeconds()
      throws Exception {
    int firstPort = FreePorts.next();
    int secondPort = FreePorts.next();
    Process first = startCoordinator("coordinator-1", firstPort);
    awaitHealthy(firstPort);
    startCoordinator("coordinator-2", secondPort);
    awaitHealthy(secondPort);
    worker = startWorker();
    hooks = startHooksRunner();

    try (OpflowClient client = OpflowClient.create(kafka.bootstrapServers())) {
      // Both coordinators process runs (their group settled) before anything is measured.
      for (String warmUp : submit(client, "quick")) {
        assertThat(client.awaitCompletion(warmUp, Duration.ofSeconds(90)).status())
            .isEqualTo("SUCCEEDED");
      }
      List<String> inFlight = submit(client, "failover");
      Thread.sleep(1500); // their 3 s steps run now

      long killedAt = System.nanoTime();
      first.destroyForcibly();
      assertThat(first.waitFor()).as("exit code of a JVM killed by SIGKILL").isEqualTo(137);
      // Runs on the killed coordinator's partitions wait for the other to take them over.
      List<String> afterKill = submit(client, "quick");
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> ended(client, afterKill));
      Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
      for (String runId : afterKill) {
        assertThat(client.awaitCompletion(runId, Duration.ofSeconds(60)).status())
            .isEqualTo("SUCCEEDED");
      }
      for (String runId : inFlight) {
        assertThat(client.awaitCompletion(runId, Duration.ofSeconds(60)).status())
            .isEqualTo("SUCCEEDED");
      }
      System.out.printf(
          "CoordinatorFailoverTest: kill -9 of one of two coordinators -> %d runs submitted"
              + " after it ended within %d ms%n",
          RUNS, takeover.toMillis());

      assertThat(takeover).isLessThan(TAKEOVER_BOUND);
      List<String> all = new ArrayList<>(inFlight);
      all.addAll(afterKill);
      for (String runId : all) {
        assertThat(client.events(runId))
            .filteredOn(u -> u.source() == RunUpdate.Source.STEP)
            .as("no live step is declared lost, and no step runs twice")
            .noneMatch(u -> u.detail() != null && u.detail().contains("WorkerLost"))
            .noneMatch(u -> u.attempt() > 1);
        assertThat(FaultDefinitions.firedFor(runId))
            .as("each success hook fires once")
            .containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("slow/1/count_success", 1, "after/1/count_success", 1));
      }
      assertThat(client.runEvents())
          .filteredOn(u -> all.contains(u.runId()) && "SUCCEEDED".equals(u.status()))
          .as("every run ends once")
          .hasSize(all.size());
    }
  }

  private static boolean ended(OpflowClient client, List<String> runIds) {
    return client.runEvents().stream()
            .filter(u -> runIds.contains(u.runId()) && !"STARTED".equals(u.status()))
            .count()
        >= runIds.size();
  }

  private static List<String> submit(OpflowClient client, String job) {
    List<String> runIds = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      runIds.add(client.submit(FaultDefinitions.DEFS, job, RunConfig.empty()));
    }
    return runIds;
  }

  private Process startCoordinator(String name, int metricsPort) throws IOException {
    Path stateDir = Files.createTempDirectory("opflow-failover-" + name);
    Process process =
        ChildWorkers.launch(
            name,
            List.of(
                "coordinator",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--metrics-port",
                Integer.toString(metricsPort),
                "--config",
                "opflow.coordinator.application.id=" + applicationId,
                "--config",
                "opflow.state.dir=" + stateDir,
                "--config",
                "opflow.lease.ms=3000"));
    coordinators.add(process);
    return process;
  }

  private static void awaitHealthy(int port) {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health")).build();
    await()
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .until(() -> http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
  }

  private static HooksRunner startHooksRunner() {
    Map<String, Object> props = new HashMap<>();
    props.put(HooksRunnerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(HooksRunnerConfig.METRICS_PORT_CONFIG, -1);
    return HooksRunner.start(
        HooksRunnerConfig.of(props), FaultDefinitions.DEFS, new SimpleMeterRegistry());
  }

  private static Worker startWorker() {
    Map<String, Object> props = new HashMap<>();
    props.put(WorkerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(WorkerConfig.CONCURRENCY_CONFIG, 2 * RUNS);
    props.put(WorkerConfig.HEARTBEAT_MS_CONFIG, 500L);
    props.put(WorkerConfig.METRICS_PORT_CONFIG, -1);
    return Worker.start(WorkerConfig.of(props), FaultDefinitions.DEFS, new SimpleMeterRegistry());
  }
}
