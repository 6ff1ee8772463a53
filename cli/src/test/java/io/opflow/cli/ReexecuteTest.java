package io.opflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.cli.Cli.Result;
import io.opflow.client.RunUpdate;
import io.opflow.core.Definitions;
import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.config.RunConfig;
import io.opflow.testkit.cluster.OpflowCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code opflow reexecute} against a real cluster: all of a run, or from its failure. */
@Timeout(120)
class ReexecuteTest {
  /** Whether {@code transform} fails; it fails on the first run and is then mended. */
  static final AtomicBoolean TRANSFORM_FAILS = new AtomicBoolean();

  /** Each op call as {@code op:input}, and each success hook call as {@code hook:step}. */
  static final List<String> CALLS = new CopyOnWriteArrayList<>();

  static final OpDefinition<?> EXTRACT =
      OpDefinition.builder("extract")
          .output(Integer.class)
          .body(
              ctx -> {
                CALLS.add("extract");
                return 7;
              });

  static final OpDefinition<?> TRANSFORM =
      OpDefinition.builder("transform")
          .input("n", Integer.class)
          .output(Integer.class)
          .body(
              ctx -> {
                int n = ctx.input("n", Integer.class);
                CALLS.add("transform:" + n);
                if (TRANSFORM_FAILS.get()) {
                  throw new IllegalStateException("transform is broken");
                }
                return n * 10;
              });

  static final OpDefinition<?> LOAD =
      OpDefinition.builder("load")
          .input("n", Integer.class)
          .output(Integer.class)
          .body(
              ctx -> {
                int n = ctx.input("n", Integer.class);
                CALLS.add("load:" + n);
                return n + 1;
              });

  static final Definitions DEFINITIONS =
      Definitions.builder()
          .jobs(
              JobDefinition.builder("etl")
                  .add(EXTRACT)
                  .add(TRANSFORM.input("n", "extract"))
                  .add(LOAD.input("n", "transform"))
                  .hooks(
                      HookDefinition.successHook("noted")
                          .handler(ctx -> CALLS.add("noted:" + ctx.stepKey())))
                  .build())
          .build();

  @RegisterExtension
  static final OpflowCluster cluster =
      OpflowCluster.builder().definitions(DEFINITIONS).workers(1).build();

  @BeforeEach
  void reset() {
    CALLS.clear();
    TRANSFORM_FAILS.set(false);
  }

  private String failedRun() {
    TRANSFORM_FAILS.set(true);
    String runId = cluster.client().submit(DEFINITIONS, "etl", RunConfig.empty());
    assertThat(cluster.client().awaitCompletion(runId, Duration.ofSeconds(60)).succeeded())
        .isFalse();
    TRANSFORM_FAILS.set(false);
    CALLS.clear();
    return runId;
  }

  @Test
  void fromFailureReusesTheStepThatSucceededAndRunsOnlyWhatFailedAndWhatLiesDownstream() {
    String parent = failedRun();

    Result r =
        Cli.run("reexecute", "-b", cluster.bootstrapServers(), parent, "--from-failure", "--watch");

    assertThat(r.code()).as(r.err()).isZero();
    String child = r.out().lines().findFirst().orElseThrow();
    assertThat(child).isNotEqualTo(parent);
    assertThat(r.out())
        .contains("re-executes run " + parent + ", reusing extract")
        .contains("step transform attempt 1 SUCCEEDED", "step load attempt 1 SUCCEEDED")
        .doesNotContain("step extract");
    // extract did not run again; transform read the output extract produced in the parent run.
    assertThat(CALLS)
        .contains("transform:7", "load:70", "noted:transform", "noted:load")
        .doesNotContain("extract", "noted:extract");
    List<RunUpdate> events = cluster.client().events(child);
    assertThat(events)
        .filteredOn(u -> u.source() == RunUpdate.Source.STEP || u.source() == RunUpdate.Source.HOOK)
        .extracting(RunUpdate::stepKey)
        .doesNotContain("extract");
  }

  @Test
  void allRunsEveryStepAgain() {
    String parent = failedRun();

    Result r = Cli.run("reexecute", "-b", cluster.bootstrapServers(), parent, "--watch");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("re-executes run " + parent + ", running every step");
    assertThat(CALLS).contains("extract", "transform:7", "load:70", "noted:extract");
  }

  @Test
  void aRunNotOnTheTopicsIsBadInputSayingWhy() {
    Result r =
        Cli.run(
            "reexecute",
            "-b",
            cluster.bootstrapServers(),
            "00000000-0000-0000-0000-000000000000",
            "--from-failure");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("is not on the runs topic", "retention");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void fromFailureOfARunThatSucceededIsBadInputPointingAtAll() {
    String runId = cluster.client().submit(DEFINITIONS, "etl", RunConfig.empty());
    assertThat(cluster.client().awaitCompletion(runId, Duration.ofSeconds(60)).succeeded())
        .isTrue();

    Result r = Cli.run("reexecute", "-b", cluster.bootstrapServers(), runId, "--from-failure");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("every step succeeded", "re-execute all of it instead");
  }
}
