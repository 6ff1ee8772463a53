package io.opflow.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.opflow.client.RunOutcome;
import io.opflow.client.RunUpdate;
import io.opflow.core.Definitions;
import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.config.RunConfig;
import io.opflow.worker.WorkerConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Worker-side chaining with {@code opflow.worker.started.delay.ms}, on a real broker with the
 * coordinator and the hooks-runner: the chain's first task announces its step at once, each later
 * step rides on the success that started it, and every step's hook fires.
 */
@Timeout(120)
class StartedDelayChainTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  static final HookDefinition ON_SUCCESS =
      HookDefinition.successHook("on_success").handler(c -> {});

  static final JobDefinition LINE =
      JobDefinition.builder("line")
          .add(ClusterScenariosTest.ONE.node())
          .add(ClusterScenariosTest.PLUS_ONE.alias("two").input("num", "one"))
          .add(ClusterScenariosTest.PLUS_ONE.alias("three").input("num", "two"))
          .add(ClusterScenariosTest.PLUS_ONE.alias("four").input("num", "three"))
          .hooks(ON_SUCCESS)
          .build();

  static final Definitions DEFS = Definitions.builder().jobs(LINE).codeVersion("test-1").build();

  // Far longer than the ops take: no step sends a StepStarted because it outlasted the delay.
  @RegisterExtension
  static final OpflowCluster cluster =
      OpflowCluster.builder()
          .definitions(DEFS)
          .workers(1)
          .workerConfig(WorkerConfig.STARTED_DELAY_MS_CONFIG, 30_000L)
          .build();

  @Test
  void aChainOfShortStepsSendsOneStartedAndEveryStepSucceedsWithItsHook() {
    String runId = cluster.client().submit(DEFS, "line", RunConfig.empty());

    RunOutcome outcome = cluster.client().awaitCompletion(runId, WAIT);

    assertThat(outcome.status()).isEqualTo("SUCCEEDED");
    assertThat(outcome.steps())
        .filteredOn(s -> s.status().equals("STARTED"))
        .extracting(RunUpdate::stepKey)
        .as("only the chain's first step, from its task, is announced by a StepStarted")
        .containsExactly("one");
    assertThat(outcome.steps())
        .filteredOn(s -> s.status().equals("SUCCEEDED"))
        .extracting(RunUpdate::stepKey)
        .containsExactly("one", "two", "three", "four");
    assertThat(outcome.hooksNamed("on_success"))
        .extracting(RunUpdate::stepKey, RunUpdate::status)
        .containsExactlyInAnyOrder(
            tuple("one", "COMPLETED"),
            tuple("two", "COMPLETED"),
            tuple("three", "COMPLETED"),
            tuple("four", "COMPLETED"));
  }
}
