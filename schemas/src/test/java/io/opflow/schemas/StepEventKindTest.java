package io.opflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StepEventKindTest {

  @Test
  void upForRetryEndsTheAttemptButNotTheStep() {
    assertThat(StepEventKind.UP_FOR_RETRY.endsAttempt()).isTrue();
    assertThat(StepEventKind.UP_FOR_RETRY.endsStep()).isFalse();
  }

  @Test
  void onlyResultsEndAnAttemptAndEveryKindThatEndsAStepEndsItsAttempt() {
    assertThat(Arrays.stream(StepEventKind.values()).filter(StepEventKind::endsAttempt))
        .containsExactly(
            StepEventKind.SUCCEEDED,
            StepEventKind.FAILED,
            StepEventKind.SKIPPED,
            StepEventKind.UP_FOR_RETRY);
    assertThat(StepEventKind.values())
        .filteredOn(StepEventKind::endsStep)
        .allMatch(StepEventKind::endsAttempt);
  }

  @Test
  void theEventTypeHeaderNamesTheSameKindAsThePayload() {
    for (var event : Fixtures.stepEvents()) {
      String header = event.getPayload().getClass().getSimpleName();
      assertThat(StepEventKind.ofEventType(header)).contains(StepEventKind.of(event));
    }
    assertThat(StepEventKind.ofEventType("HookCompleted")).isEmpty();
  }
}
