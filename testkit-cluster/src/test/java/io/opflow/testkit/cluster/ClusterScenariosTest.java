package io.opflow.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opflow.client.RunOutcome;
import io.opflow.client.RunUpdate;
import io.opflow.core.Definitions;
import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.RetryPolicy;
import io.opflow.core.config.RunConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Diamond DAG, retries, a hooks-runner outage and a coordinator restart, on a real broker. */
@Timeout(180)
class ClusterScenariosTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** Hook firings by "run/step/attempt/hook", to prove each fires exactly once. */
  static final Map<String, AtomicInteger> FIRED = new ConcurrentHashMap<>();

  /** Messages of the errors failure hooks saw. */
  static final List<String> FAILURE_MESSAGES = new CopyOnWriteArrayList<>();

  /** Attempts of the flaky op by run id. */
  static final Map<String, AtomicInteger> FLAKY_ATTEMPTS = new ConcurrentHashMap<>();

  /** Released by the test once the coordinator has restarted. */
  static final CountDownLatch SLOW_GATE = new CountDownLatch(1);

  static final HookDefinition COUNT_SUCCESS =
      HookDefinition.successHook("count_success").handler(ClusterScenariosTest::count);

  static final HookDefinition RECORD_FAILURE =
      HookDefinition.failureHook("record_failure")
          .handler(
              ctx -> {
                count(ctx);
                FAILURE_MESSAGES.add(
                    ctx.opException().map(Throwable::getMessage).orElse("(no exception)"));
              });

  static final OpDefinition<?> ONE =
      OpDefinition.builder("one").output(Integer.class).body(ctx -> 1);
  static final OpDefinition<?> PLUS_ONE =
      OpDefinition.builder("plus_one")
          .input("num", Integer.class)
          .output(Integer.class)
          .body(ctx -> ctx.input("num", Integer.class) + 1);
  static final OpDefinition<?> SUM =
      OpDefinition.builder("sum")
          .input("left", Integer.class)
          .input("right", Integer.class)
          .output(Integer.class)
          .body(ctx -> ctx.input("left", Integer.class) + ctx.input("right", Integer.class));

  static final OpDefinition<?> FLAKY =
      OpDefinition.builder("flaky")
          .output(Integer.class)
          .retryPolicy(RetryPolicy.builder().maxRetries(2).delay(Duration.ofMillis(100)).build())
          .body(
              ctx -> {
                int n =
                    FLAKY_ATTEMPTS
                        .computeIfAbsent(ctx.runId(), k -> new AtomicInteger())
                        .incrementAndGet();
                if (n < 3) {
                  throw new IllegalStateException("flaky attempt " + n + " failed");
                }
                return n;
              });

  static final OpDefinition<?> SLOW =
      OpDefinition.builder("slow")
          .output(Integer.class)
          .body(ctx -> SLOW_GATE.await(30, TimeUnit.SECONDS) ? 1 : 0);

  static final JobDefinition DIAMOND =
      JobDefinition.builder("diamond")
          .add(ONE.node())
          .add(PLUS_ONE.alias("left").input("num", "one"))
          .add(PLUS_ONE.alias("right").input("num", "one"))
          .add(SUM.input("left", "left").input("right", "right"))
          .hooks(COUNT_SUCCESS, RECORD_FAILURE)
          .build();

  static final JobDefinition RETRYING =
      JobDefinition.builder("retrying")
          .add(FLAKY.node())
          .hooks(COUNT_SUCCESS, RECORD_FAILURE)
          .build();

  static final OpDefinition<?> BROKEN =
      OpDefinition.builder("broken")
          .output(Integer.class)
          .retryPolicy(RetryPolicy.builder().maxRetries(1).delay(Duration.ofMillis(50)).build())
          .body(
              ctx -> {
                throw new IllegalArgumentException("broken on attempt " + ctx.attempt());
              });

  static final JobDefinition FAILING =
      JobDefinition.builder("failing")
          .add(BROKEN.node())
          .add(PLUS_ONE.input("num", "broken"))
          .hooks(COUNT_SUCCESS, RECORD_FAILURE)
          .build();

  /** Released by the test once the run is canceled. */
  static final CountDownLatch CANCEL_GATE = new CountDownLatch(1);

  static final OpDefinition<?> BLOCKED =
      OpDefinition.builder("blocked")
          .output(Integer.class)
          .body(ctx -> CANCEL_GATE.await(30, TimeUnit.SECONDS) ? 1 : 0);

  static final JobDefinition CANCELABLE =
      JobDefinition.builder("cancelable")
          .add(BLOCKED.node())
          .add(PLUS_ONE.input("num", "blocked"))
          .build();

  /** Config of the op whose value comes from the job's default config. */
  record Factor(int factor) {}

  static final OpDefinition<Factor> SCALE =
      OpDefinition.builder("scale")
          .config(Factor.class)
          .output(Integer.class)
          .body(ctx -> 7 * ctx.config().factor());

  static final JobDefinition DEFAULTED =
      JobDefinition.builder("defaulted")
          .add(SCALE.node())
          .defaultConfig(RunConfig.builder().opConfig("scale", Map.of("factor", 6)).build())
          .build();

  static final JobDefinition SLOW_JOB =
      JobDefinition.builder("slow_job").add(SLOW.node()).add(PLUS_ONE.input("num", "slow")).build();

  static final Definitions DEFS =
      Definitions.builder()
          .jobs(DIAMOND, RETRYING, FAILING, SLOW_JOB, CANCELABLE, DEFAULTED)
          .codeVersion("test-1")
          .build();

  @RegisterExtension
  static final OpflowCluster cluster = OpflowCluster.builder().definitions(DEFS).workers(3).build();

  private static void count(io.opflow.core.HookContext ctx) {
    String key =
        ctx.runId() + "/" + ctx.stepKey() + "/" + ctx.attempt() + "/" + ctx.hookDefinition().name();
    FIRED.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  private static Map<String, Integer> firedFor(String runId) {
    Map<String, Integer> counts = new java.util.TreeMap<>();
    FIRED.forEach(
        (k, v) -> {
          if (k.startsWith(runId + "/")) {
            counts.put(k.substring(runId.length() + 1), v.get());
          }
        });
    return counts;
  }

  @Test
  void diamondRunsEveryStepOnceAcrossWorkers() {
    String runId = cluster.client().submit(DEFS, "diamond", RunConfig.empty());

    RunOutcome outcome = cluster.client().awaitCompletion(runId, WAIT);

    assertThat(outcome.status()).isEqualTo("SUCCEEDED");
    assertThat(outcome.steps())
        .filteredOn(s -> s.status().equals("SUCCEEDED"))
        .extracting(RunUpdate::stepKey)
        .containsExactlyInAnyOrder("one", "left", "right", "sum");
    assertThat(outcome.hooksNamed("count_success"))
        .extracting(RunUpdate::status)
        .containsOnly("COMPLETED")
        .hasSize(4);
    assertThat(firedFor(runId))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "one/1/count_success",
                1,
                "left/1/count_success",
                1,
                "right/1/count_success",
                1,
                "sum/1/count_success",
                1));
  }

  @Test
  void failuresAreRetriedUntilSuccess() {
    String runId = cluster.client().submit(DEFS, "retrying", RunConfig.empty());

    RunOutcome outcome = cluster.client().awaitCompletion(runId, WAIT);

    assertThat(outcome.status()).isEqualTo("SUCCEEDED");
    assertThat(outcome.stepUpdates("flaky"))
        .extracting(u -> u.attempt() + " " + u.status())
        .contains("1 UP_FOR_RETRY", "2 UP_FOR_RETRY", "3 SUCCEEDED");
    assertThat(firedFor(runId)).containsExactlyEntriesOf(Map.of("flaky/3/count_success", 1));
  }

  @Test
  void failureHookSeesTheRemoteExceptionAndDownstreamIsSkipped() {
    String runId = cluster.client().submit(DEFS, "failing", RunConfig.empty());

    RunOutcome outcome = cluster.client().awaitCompletion(runId, WAIT);

    assertThat(outcome.status()).isEqualTo("FAILED");
    assertThat(outcome.stepUpdates("plus_one"))
        .extracting(RunUpdate::status)
        .containsExactly("SKIPPED");
    // The discarded attempt 1 has its hook recorded as skipped; attempt 2's ran.
    assertThat(outcome.hooksNamed("record_failure"))
        .filteredOn(h -> h.stepKey().equals("broken"))
        .extracting(h -> h.attempt() + " " + h.status())
        .containsExactly("1 SKIPPED", "2 COMPLETED");
    assertThat(firedFor(runId)).containsExactlyEntriesOf(Map.of("broken/2/record_failure", 1));
    assertThat(FAILURE_MESSAGES).anySatisfy(m -> assertThat(m).contains("broken on attempt 2"));
  }

  @Test
  void hooksRunnerCatchesUpAfterAnOutageAndFiresEveryHookOnce() {
    cluster.stopHooksRunner();
    String runId;
    try {
      runId = cluster.client().submit(DEFS, "diamond", RunConfig.empty());
      await()
          .atMost(WAIT)
          .until(
              () ->
                  cluster.client().runEvents().stream()
                      .anyMatch(u -> u.runId().equals(runId) && u.status().equals("SUCCEEDED")));
      assertThat(firedFor(runId)).isEmpty();
    } finally {
      cluster.startHooksRunner();
    }

    RunOutcome outcome = cluster.client().awaitCompletion(runId, WAIT);

    assertThat(outcome.hooksNamed("count_success")).hasSize(4);
    assertThat(firedFor(runId)).hasSize(4).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
  }

  @Test
  void coordinatorRestartMidRunEndsWithExactlyOneTerminalRunEvent() {
    String runId = cluster.client().submit(DEFS, "slow_job", RunConfig.empty());
    await()
        .atMost(WAIT)
        .until(
            () ->
                cluster.client().events(runId).stream()
                    .anyMatch(u -> u.stepKey().equals("slow") && u.status().equals("STARTED")));

    cluster.restartCoordinator();
    SLOW_GATE.countDown();
    RunOutcome outcome = cluster.client().awaitCompletion(runId, WAIT);

    assertThat(outcome.status()).isEqualTo("SUCCEEDED");
    assertThat(cluster.client().events(runId))
        .filteredOn(u -> u.source() == RunUpdate.Source.RUN && !u.status().equals("STARTED"))
        .hasSize(1);
  }

  @Test
  void aCanceledRunEndsCanceledOnceAndItsRunningOpIsStoppedNotFailed() {
    String runId = cluster.client().submit(DEFS, "cancelable", RunConfig.empty());
    await()
        .atMost(WAIT)
        .until(
            () ->
                cluster.client().events(runId).stream()
                    .anyMatch(u -> u.stepKey().equals("blocked") && u.status().equals("STARTED")));

    cluster.client().cancel(runId, "canceled by the test");
    RunOutcome outcome = cluster.client().awaitCompletion(runId, WAIT);
    CANCEL_GATE.countDown();

    assertThat(outcome.status()).isEqualTo("CANCELED");
    assertThat(outcome.stepUpdates("plus_one"))
        .extracting(RunUpdate::status)
        .containsExactly("SKIPPED");
    // The worker reads the cancel and interrupts the op: its attempt ends skipped, saying why.
    await()
        .atMost(WAIT)
        .until(
            () ->
                cluster.client().events(runId).stream()
                    .anyMatch(
                        u ->
                            u.stepKey().equals("blocked")
                                && u.status().equals("SKIPPED")
                                && u.detail().contains("stopped while it ran")));
    assertThat(cluster.client().events(runId))
        .filteredOn(u -> u.stepKey().equals("blocked"))
        .extracting(RunUpdate::status)
        .doesNotContain("SUCCEEDED", "FAILED", "UP_FOR_RETRY");
    assertThat(cluster.client().events(runId))
        .filteredOn(u -> u.source() == RunUpdate.Source.RUN && !u.status().equals("STARTED"))
        .extracting(RunUpdate::status)
        .containsExactly("CANCELED");
  }

  @Test
  void workersApplyTheJobsDefaultConfigUnderTheRunsOwn() {
    String runId = cluster.client().submit(DEFS, "defaulted", RunConfig.empty());

    RunOutcome outcome = cluster.client().awaitCompletion(runId, WAIT);

    assertThat(outcome.status()).isEqualTo("SUCCEEDED");
  }

  @Test
  void submittingBeforeTheTopicsExistSaysToStartTheCoordinator() {
    try (io.opflow.client.OpflowClient client =
        io.opflow.client.OpflowClient.create(
            Map.of("bootstrap.servers", cluster.bootstrapServers()),
            io.opflow.schemas.OpflowTopics.withPrefix("nothing-here."))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> client.submit(DEFS, "diamond", RunConfig.empty()))
          .hasMessage(
              "topic nothing-here.runs does not exist yet: start the coordinator (the roles create"
                  + " Opflow's topics) and submit again, or check that the topic prefix matches the"
                  + " cluster's");
    }
  }
}
