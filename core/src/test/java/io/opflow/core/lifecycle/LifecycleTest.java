package io.opflow.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LifecycleTest {
  private static final Map<StepState, Set<StepState>> STEP_TABLE =
      Map.of(
          StepState.PENDING, EnumSet.of(StepState.QUEUED, StepState.SKIPPED, StepState.CANCELED),
          StepState.QUEUED,
              EnumSet.of(
                  StepState.RUNNING,
                  StepState.SUCCEEDED,
                  StepState.FAILED,
                  StepState.UP_FOR_RETRY,
                  StepState.CANCELED),
          StepState.RUNNING,
              EnumSet.of(
                  StepState.SUCCEEDED,
                  StepState.FAILED,
                  StepState.UP_FOR_RETRY,
                  StepState.CANCELED),
          StepState.UP_FOR_RETRY, EnumSet.of(StepState.QUEUED, StepState.CANCELED));

  @ParameterizedTest
  @EnumSource(StepState.class)
  void stepTransitionsFollowTheTable(StepState from) {
    Set<StepState> allowed = STEP_TABLE.getOrDefault(from, Set.of());
    assertThat(from.isTerminal()).isEqualTo(allowed.isEmpty());
    for (StepState to : StepState.values()) {
      if (allowed.contains(to)) {
        assertThat(from.moveTo(to)).isEqualTo(to);
      } else {
        assertThatThrownBy(() -> from.moveTo(to))
            .isInstanceOf(IllegalTransitionException.class)
            .hasMessage("step cannot change from " + from + " to " + to);
      }
    }
  }
}
