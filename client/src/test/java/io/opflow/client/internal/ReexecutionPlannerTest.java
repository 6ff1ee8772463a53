package io.opflow.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opflow.client.ReexecutionScope;
import io.opflow.client.RunNotReexecutableException;
import io.opflow.protocol.InputBinding;
import io.opflow.protocol.JobSnapshot;
import io.opflow.protocol.NodeSnapshot;
import io.opflow.protocol.RetryPolicySnapshot;
import io.opflow.protocol.ReusedStep;
import io.opflow.protocol.RunRequested;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReexecutionPlannerTest {
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

  private static NodeSnapshot node(String key, String... upstream) {
    List<InputBinding> inputs =
        Arrays.stream(upstream).map(u -> new InputBinding("in_" + u, u, "result")).toList();
    return new NodeSnapshot(
        key,
        "op_" + key,
        inputs,
        List.of(),
        new RetryPolicySnapshot(0, 0L, 1.0, List.of()),
        Map.of());
  }

  // Declared out of dependency order on purpose: load before transform before extract.
  private static final RunRequested PARENT =
      new RunRequested(
          "parent",
          "etl",
          "{}",
          Instant.EPOCH,
          Map.of("team", "data"),
          new JobSnapshot(
              "etl",
              "1.0",
              List.of(node("load", "transform"), node("transform", "extract"), node("extract"))),
          null);

  private static ParentRun ended(Map<String, Map<String, String>> succeeded) {
    return new ParentRun(PARENT, succeeded, "FAILED");
  }

  @Test
  void fromFailureReusesTheSucceededStepsWhoseUpstreamIsReusedWhateverTheDeclaredOrder() {
    ParentRun parent =
        ended(Map.of("extract", Map.of("result", "7"), "load", Map.of("result", "1")));

    RunRequested child =
        ReexecutionPlanner.plan("parent", parent, ReexecutionScope.FROM_FAILURE, "child", NOW);

    assertThat(child.getRunId()).isEqualTo("child");
    assertThat(child.getRequestedAt()).isEqualTo(NOW);
    assertThat(child.getJob()).isEqualTo(PARENT.getJob());
    assertThat(child.getTags()).isEqualTo(PARENT.getTags());
    assertThat(child.getReexecution().getParentRunId()).isEqualTo("parent");
    // load succeeded in the parent but reads from transform, which runs again: not reused.
    assertThat(child.getReexecution().getReusedSteps())
        .containsExactly(new ReusedStep("extract", Map.of("result", "7")));
  }

  @Test
  void allReusesNothing() {
    RunRequested child =
        ReexecutionPlanner.plan(
            "parent",
            ended(Map.of("extract", Map.of("result", "7"))),
            ReexecutionScope.ALL,
            "child",
            NOW);

    assertThat(child.getReexecution().getReusedSteps()).isEmpty();
  }

  @Test
  void aRunThatHasNotEndedIsRefused() {
    ParentRun running = new ParentRun(PARENT, Map.of(), null);

    assertThatThrownBy(
            () -> ReexecutionPlanner.plan("parent", running, ReexecutionScope.ALL, "c", NOW))
        .isInstanceOf(RunNotReexecutableException.class)
        .hasMessageContaining("has not ended");
  }
}
