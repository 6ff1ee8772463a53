package io.opflow.coordinator.internal;

import static io.opflow.coordinator.Jobs.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.protocol.JobSnapshot;
import io.opflow.protocol.NodeSnapshot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotPlannerTest {

  @Test
  void amongReadyStepsTheDeclaredOrderIsKept() {
    SnapshotPlanner.Result result =
        plan(
            node("c", "x=a.out"),
            node("a"),
            node("b"),
            node("d", "left=b.out", "right=a.out", "again=a.out"));

    assertThat(result.valid()).isTrue();
    assertThat(result.steps()).extracting(StepSpec::stepKey).containsExactly("a", "b", "c", "d");
  }

  @Test
  void aLongChainDeclaredBackwardsIsOrderedFromItsRoot() {
    List<NodeSnapshot> nodes = new ArrayList<>();
    int length = 2000;
    for (int i = length - 1; i > 0; i--) {
      nodes.add(node("s" + i, "x=s" + (i - 1) + ".out"));
    }
    nodes.add(node("s0"));

    SnapshotPlanner.Result result =
        SnapshotPlanner.plan(CoordinatorInputs.nodes(new JobSnapshot("long", "1", nodes)));

    assertThat(result.valid()).isTrue();
    assertThat(result.steps()).hasSize(length);
    for (int i = 0; i < length; i++) {
      assertThat(result.steps().get(i).stepKey()).isEqualTo("s" + i);
    }
  }

  @Test
  void aCycleIsNamedWithItsSteps() {
    SnapshotPlanner.Result result =
        plan(node("root"), node("a", "x=b.out"), node("b", "x=a.out"), node("c", "x=root.out"));

    assertThat(result.valid()).isFalse();
    assertThat(result.problems()).containsExactly("the steps [a, b] form a dependency cycle");
  }

  @Test
  void anUnknownUpstreamStepIsAProblemBeforeAnyOrdering() {
    SnapshotPlanner.Result result = plan(node("a", "x=missing.out"));

    assertThat(result.problems())
        .containsExactly("step 'a' input 'x' reads from unknown step 'missing'");
  }

  private static SnapshotPlanner.Result plan(NodeSnapshot... nodes) {
    return SnapshotPlanner.plan(
        CoordinatorInputs.nodes(new JobSnapshot("job", "1", List.of(nodes))));
  }
}
