package io.opflow.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opflow.client.OpflowClient;
import io.opflow.client.RunOutcome;
import io.opflow.client.RunUpdate;
import io.opflow.core.Definitions;
import io.opflow.core.config.RunConfig;
import io.opflow.events.HookEvent;
import io.opflow.events.HookSkipped;
import io.opflow.events.StepEvent;
import io.opflow.events.StepStarted;
import io.opflow.examples.slack.ExampleDefinitions;
import io.opflow.schemas.OpflowSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example job on a cluster of containers: Kafka, a coordinator, workers and a hooks-runner from
 * {@code opflow/opflow:dev}, driven from the test through {@link OpflowClient}.
 */
@RequiresDocker(images = {OpflowImages.KAFKA, OpflowImages.OPFLOW})
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ContainerClusterTest {
  private static final Definitions DEFS = new ExampleDefinitions().definitions();
  private static final String JOB = ExampleDefinitions.DEV_JOB;
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final RunConfig FAIL_A =
      RunConfig.fromMap(Map.of("ops", Map.of("a", Map.of("config", Map.of("fail", true)))));
  private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELED");

  private static OpflowClusterContainers cluster;
  private static OpflowClient client;

  @BeforeAll
  static void startCluster() {
    cluster = OpflowClusterContainers.withWorkers(1);
    cluster.start();
    client = OpflowClient.create(cluster.bootstrapServers());
  }

  @AfterAll
  static void stopCluster() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void successRunFiresBothSuccessHooksAndFailingRunFiresTheFailureHookOnItsLastAttempt() {
    String ok = client.submit(DEFS, JOB, RunConfig.empty());
    String failing = client.submit(DEFS, JOB, FAIL_A);

    RunOutcome success = client.awaitCompletion(ok, WAIT);
    RunOutcome failure = client.awaitCompletion(failing, WAIT);

    assertThat(success.status()).isEqualTo("SUCCEEDED");
    assertThat(success.hooksNamed("slack_message_on_success"))
        .extracting(h -> h.stepKey() + " " + h.status())
        .containsExactlyInAnyOrder("a COMPLETED", "b COMPLETED");
    assertThat(failure.status()).isEqualTo("FAILED");
    assertThat(failure.stepUpdates("a"))
        .extracting(u -> u.attempt() + " " + u.status())
        .contains("1 UP_FOR_RETRY", "2 FAILED");
    assertThat(failure.stepUpdates("b")).extracting(RunUpdate::status).containsExactly("SKIPPED");
    assertThat(failure.hooksNamed("slack_message_on_failure"))
        .filteredOn(h -> h.stepKey().equals("a"))
        .extracting(h -> h.attempt() + " " + h.status())
        .containsExactly("1 SKIPPED", "2 COMPLETED");
  }

  @Test
  void runsInFlightWhileWorkersScaleFromOneToThreeEachEndExactlyOnce() {
    List<String> runIds = new CopyOnWriteArrayList<>(submit(10));
    CompletableFuture<List<String>> added =
        CompletableFuture.supplyAsync(() -> cluster.addWorkers(2));
    try {
      while (!added.isDone()) {
        runIds.addAll(submit(1));
        sleep(Duration.ofMillis(300));
      }
      List<String> newWorkers = added.join();
      // Keep submitting until a new worker has taken a step: the group has rebalanced.
      await()
          .atMost(WAIT)
          .until(
              () -> {
                runIds.addAll(submit(2));
                return stepWorkers(runIds).stream().anyMatch(newWorkers::contains);
              });
      runIds.addAll(submit(5));

      Map<String, List<String>> terminal = awaitTerminal(runIds);

      assertThat(runIds).hasSizeGreaterThanOrEqualTo(20);
      assertThat(terminal)
          .hasSize(runIds.size())
          .allSatisfy((run, statuses) -> assertThat(statuses).containsExactly("SUCCEEDED"));
      assertThat(stepWorkers(runIds)).containsAnyElementsOf(newWorkers).hasSizeGreaterThan(1);
    } finally {
      added.join();
      cluster.stopWorkersDownTo(1);
    }
  }

  @Test
  void hooksRunnerStoppedWhileStepsFinishFiresEveryHookExactlyOnceWhenStartedAgain() {
    cluster.stopHooksRunner();
    List<String> runIds = new ArrayList<>();
    try {
      runIds.addAll(submit(3));
      runIds.add(client.submit(DEFS, JOB, FAIL_A));
      runIds.add(client.submit(DEFS, JOB, FAIL_A));
      awaitTerminal(runIds);
      assertThat(hookEventsOf(runIds)).isEmpty();
    } finally {
      cluster.startHooksRunner();
    }

    // Two hooks on each of the two steps of every run: 4 hook events per run, once each, for the
    // attempts that ended their steps. A discarded attempt (fail-a's first, put up for retry) has
    // its hooks recorded as skipped, and those are not counted here.
    int expected = 4 * runIds.size();
    await().atMost(WAIT).until(() -> finalAttempts(hookEventsOf(runIds)).size() >= expected);
    sleep(Duration.ofSeconds(2)); // a duplicate, if any, would land here
    List<HookEvent> all = hookEventsOf(runIds);
    List<HookEvent> events = finalAttempts(all);
    assertThat(all)
        .filteredOn(e -> !events.contains(e))
        .allSatisfy(e -> assertThat(e.getPayload()).isInstanceOf(HookSkipped.class));

    Map<String, Long> perKey =
        events.stream()
            .collect(Collectors.groupingBy(HookEvent::getIdempotencyKey, Collectors.counting()));
    assertThat(events).hasSize(expected);
    assertThat(perKey).hasSize(expected).allSatisfy((key, count) -> assertThat(count).isEqualTo(1));
    assertThat(
            events.stream()
                .map(e -> e.getRunId() + "/" + e.getStepKey() + "/" + e.getHookName())
                .distinct())
        .hasSize(expected);
    // The example's run-failure sensor fired once for each of the two failed runs, no more.
    List<String> failed = runIds.subList(runIds.size() - 2, runIds.size());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(sensorEventsOf(runIds))
                    .extracting(HookEvent::getIdempotencyKey)
                    .containsExactlyInAnyOrderElementsOf(
                        failed.stream().map(id -> id + "/sensor/report_run_failure").toList()));
  }

  /** The hook events of the last attempt of each step. */
  private static List<HookEvent> finalAttempts(List<HookEvent> events) {
    Map<String, Integer> last =
        events.stream()
            .collect(
                Collectors.toMap(
                    e -> e.getRunId() + "/" + e.getStepKey(), HookEvent::getAttempt, Math::max));
    return events.stream()
        .filter(e -> e.getAttempt() == last.get(e.getRunId() + "/" + e.getStepKey()))
        .toList();
  }

  private static List<String> submit(int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(client.submit(DEFS, JOB, RunConfig.empty()));
    }
    return ids;
  }

  /** Waits until every run has a terminal run event; returns the terminal statuses per run. */
  private static Map<String, List<String>> awaitTerminal(List<String> runIds) {
    Set<String> wanted = Set.copyOf(runIds);
    Function<List<RunUpdate>, Map<String, List<String>>> byRun =
        updates ->
            updates.stream()
                .filter(u -> wanted.contains(u.runId()) && TERMINAL.contains(u.status()))
                .collect(
                    Collectors.groupingBy(
                        RunUpdate::runId,
                        Collectors.mapping(RunUpdate::status, Collectors.toList())));
    await().atMost(WAIT).until(() -> byRun.apply(client.runEvents()).size() == wanted.size());
    return byRun.apply(client.runEvents());
  }

  /** Ids of the workers that started steps of these runs. */
  private static Set<String> stepWorkers(List<String> runIds) {
    Set<String> wanted = Set.copyOf(runIds);
    return TopicRecords.readAll(
            cluster.bootstrapServers(),
            client.topics().stepEvents(),
            OpflowSerdes.stepEvents().deserializer())
        .stream()
        .filter(e -> wanted.contains(e.getRunId()))
        .map(StepEvent::getPayload)
        .filter(StepStarted.class::isInstance)
        .map(p -> ((StepStarted) p).getWorkerId())
        .collect(Collectors.toSet());
  }

  /** Every hook event of these runs on the hook-events topic, read by a separate consumer. */
  // The step hooks' events; run status sensors' records (runSensor) are counted apart.
  private static List<HookEvent> hookEventsOf(List<String> runIds) {
    return recordsOf(runIds).stream().filter(e -> !e.getRunSensor()).toList();
  }

  private static List<HookEvent> sensorEventsOf(List<String> runIds) {
    return recordsOf(runIds).stream().filter(HookEvent::getRunSensor).toList();
  }

  private static List<HookEvent> recordsOf(List<String> runIds) {
    Set<String> wanted = Set.copyOf(runIds);
    return TopicRecords.readAll(
            cluster.bootstrapServers(),
            client.topics().hookEvents(),
            OpflowSerdes.hookEvents().deserializer())
        .stream()
        .filter(e -> wanted.contains(e.getRunId()))
        .toList();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
