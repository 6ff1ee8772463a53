package io.opflow.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.core.InputSource;
import io.opflow.core.RetryPolicy;
import io.opflow.core.execution.RunStatus;
import io.opflow.core.lifecycle.StepState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunProgressTest {
  private static final RetryPolicy ONE_RETRY =
      RetryPolicy.builder().maxRetries(1).delay(Duration.ofMillis(50)).build();
  private static final ExecutionPlan CHAIN =
      ExecutionPlan.of(
          List.of(
              new PlannedStep("a", "a", Map.of(), ONE_RETRY),
              new PlannedStep(
                  "b", "b", Map.of("x", new InputSource("a", "result")), RetryPolicy.none())));

  @Test
  void resultsForStaleOrFinishedAttemptsAreRefused() {
    RunProgress progress = new RunProgress(CHAIN);
    assertThat(progress.advance().ready()).containsExactly("a");
    int first = progress.queue("a");

    RunProgress.FailureDecision decision = progress.failed("a", first, true);
    assertThat(decision.retry()).isTrue();
    assertThat(decision.delay()).isEqualTo(Duration.ofMillis(50));
    int second = progress.queue("a");

    assertThat(progress.succeeded("a", first, Set.of("result"))).as("stale attempt").isFalse();
    assertThat(progress.succeeded("a", second, Set.of("result"))).isTrue();
    assertThat(progress.succeeded("a", second, Set.of("result"))).as("duplicate").isFalse();
    assertThat(progress.failed("a", second, true).accepted()).as("late failure").isFalse();
    assertThat(progress.step("a").state()).isEqualTo(StepState.SUCCEEDED);
  }

  @Test
  void aFinalFailureSkipsDownstreamAndEndsTheRunFailed() {
    RunProgress progress = new RunProgress(CHAIN);
    progress.advance();
    int attempt = progress.queue("a");
    progress.failed("a", attempt, false);

    assertThat(progress.advance().skipped()).containsEntry("b", "upstream step 'a' failed");
    assertThat(progress.isFinished()).isTrue();
    assertThat(progress.status()).isEqualTo(RunStatus.FAILED);
    assertThat(progress.failedSteps()).containsExactly("a");
  }

  @Test
  void aSnapshotRestoresTheSameProgress() {
    RunProgress progress = new RunProgress(CHAIN);
    progress.advance();
    progress.succeeded("a", progress.queue("a"), Set.of("result"));

    RunProgress restored = RunProgress.restore(CHAIN, progress.snapshot());

    assertThat(restored.advance().ready()).containsExactly("b");
    assertThat(restored.step("a")).isEqualTo(progress.step("a"));
  }

  @Test
  void cancelStopsPendingStepsAndEndsCanceledOnceInFlightStepsAreCanceled() {
    RunProgress progress = new RunProgress(CHAIN);
    progress.advance();
    progress.queue("a");

    assertThat(progress.cancel()).containsExactly("b");
    assertThat(progress.isFinished()).isFalse();
    assertThat(progress.cancelInFlight()).containsExactly("a");
    assertThat(progress.isFinished()).isTrue();
    assertThat(progress.status()).isEqualTo(RunStatus.CANCELED);
  }
}
