package io.opflow.cli.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opflow.cli.fault.RunRecorder.Received;
import io.opflow.client.RunOutcome;
import io.opflow.client.RunUpdate;
import io.opflow.coordinator.CoordinatorConfig;
import io.opflow.core.config.RunConfig;
import io.opflow.testkit.cluster.OpflowCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Guarantee 3: a worker JVM killed with -9 in the middle of a step is noticed within its lease, the
 * step fails with {@code WorkerLost}, its retry policy applies and its hooks fire once. The broker,
 * coordinator and hooks-runner run in this JVM; workers run in JVMs of their own.
 */
@Tag("fault")
@Timeout(180)
class WorkerKilledMidStepTest {
  private static final long LEASE_MS = 3000;

  /** Lease, plus the coordinator's punctuation interval and event delivery. */
  private static final Duration DETECTION_BOUND = Duration.ofMillis(LEASE_MS + 3000);

  private static final Duration WAIT = Duration.ofSeconds(90);

  @RegisterExtension
  static final OpflowCluster cluster =
      OpflowCluster.builder()
          .definitions(FaultDefinitions.DEFS)
          .workers(0)
          .coordinatorConfig(CoordinatorConfig.LEASE_MS_CONFIG, LEASE_MS)
          .build();

  private ChildWorkers children;

  @BeforeEach
  void children() {
    children = new ChildWorkers(cluster.bootstrapServers());
  }

  @AfterEach
  void killChildren() throws InterruptedException {
    children.close();
  }

  @Test
  void killedStepIsRetriedElsewhereAndSucceeds() throws Exception {
    Process first = children.start("child-1");
    String runId =
        cluster.client().submit(FaultDefinitions.DEFS, "lost_with_retry", RunConfig.empty());
    try (RunRecorder run = new RunRecorder(cluster.client(), runId, WAIT)) {
      long killedAt = killWhenStarted(run, first);
      children.start("child-2");

      Received lost = awaitStep(run, "slow", 1, "UP_FOR_RETRY", DETECTION_BOUND);
      reportDetection("with retry", killedAt, lost);
      assertThat(lost.update().detail()).startsWith("next attempt 2 after WorkerLost");

      RunOutcome outcome = run.outcome(WAIT);
      assertThat(outcome.status()).isEqualTo("SUCCEEDED");
      assertThat(outcome.stepUpdates("slow"))
          .extracting(u -> u.attempt() + " " + u.status())
          .contains("1 STARTED", "1 UP_FOR_RETRY", "2 STARTED", "2 SUCCEEDED")
          .doesNotContain("1 SUCCEEDED", "1 FAILED");
      assertThat(FaultDefinitions.firedFor(runId))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("slow/2/count_success", 1, "after/1/count_success", 1));
      assertThat(terminalRunEvents(runId))
          .extracting(RunUpdate::status)
          .containsExactly("SUCCEEDED");
    }
  }

  @Test
  void killedStepWithoutRetriesFailsTheRunAndFiresTheFailureHookOnce() throws Exception {
    Process worker = children.start("child-3");
    String runId =
        cluster.client().submit(FaultDefinitions.DEFS, "lost_no_retry", RunConfig.empty());
    try (RunRecorder run = new RunRecorder(cluster.client(), runId, WAIT)) {
      long killedAt = killWhenStarted(run, worker);

      Received lost = awaitStep(run, "slow", 1, "FAILED", DETECTION_BOUND);
      reportDetection("no retry", killedAt, lost);
      assertThat(lost.update().detail()).startsWith("WorkerLost");

      RunOutcome outcome = run.outcome(WAIT);
      assertThat(outcome.status()).isEqualTo("FAILED");
      assertThat(outcome.stepUpdates("after"))
          .extracting(RunUpdate::status)
          .containsExactly("SKIPPED");
      assertThat(FaultDefinitions.firedFor(runId))
          .containsExactlyInAnyOrderEntriesOf(Map.of("slow/1/count_failure", 1));
      assertThat(FaultDefinitions.FAILURE_ERROR_TYPES).containsEntry(runId + "/slow", "WorkerLost");
      assertThat(outcome.hooksNamed("count_failure"))
          .extracting(h -> h.stepKey() + " " + h.status())
          .containsExactlyInAnyOrder("slow COMPLETED", "after SKIPPED");
      assertThat(terminalRunEvents(runId)).extracting(RunUpdate::status).containsExactly("FAILED");
    }
  }

  /** Waits until the step runs on the worker, then kills the worker with -9; returns when. */
  private static long killWhenStarted(RunRecorder run, Process worker) throws InterruptedException {
    awaitStep(run, "slow", 1, "STARTED", WAIT);
    long killedAt = System.currentTimeMillis();
    int exitCode = ChildWorkers.kill9(worker);
    assertThat(exitCode).as("exit code of a JVM killed by SIGKILL").isEqualTo(137);
    assertThat(worker.toHandle().isAlive()).isFalse();
    return killedAt;
  }

  private static Received awaitStep(
      RunRecorder run, String stepKey, int attempt, String status, Duration within) {
    return await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> run.step(stepKey, attempt, status), Optional::isPresent)
        .orElseThrow();
  }

  private static void reportDetection(String scenario, long killedAt, Received lost) {
    long millis = lost.receivedAtMillis() - killedAt;
    System.out.printf(
        "WorkerKilledMidStepTest (%s): kill -9 -> WorkerLost read by the client in %d ms"
            + " (lease %d ms)%n",
        scenario, millis, LEASE_MS);
    assertThat(millis).isLessThan(DETECTION_BOUND.toMillis());
  }

  /** Reads the run's events again, after the watch ended, and keeps the terminal run events. */
  private static List<RunUpdate> terminalRunEvents(String runId) {
    return cluster.client().events(runId).stream()
        .filter(u -> u.source() == RunUpdate.Source.RUN)
        .filter(u -> !u.status().equals("STARTED"))
        .toList();
  }
}
