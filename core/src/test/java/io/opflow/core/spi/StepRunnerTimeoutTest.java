package io.opflow.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.core.OpDefinition;
import io.opflow.core.StepTimedOutException;
import io.opflow.core.config.RunConfig;
import io.opflow.core.execution.StepStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The timeout watch on the thread that runs the op: here, the test's own thread. */
@Timeout(30)
class StepRunnerTimeoutTest {
  private static final StepIdentity ID = new StepIdentity("job", "run-1", "step", 1);

  private static StepAttempt runHere(OpDefinition<?> op, Duration timeout) {
    return StepRunner.run(
        ID, op, RunConfig.empty(), Map.of(), key -> null, name -> null, Optional.of(timeout));
  }

  @Test
  void anOpWithinItsTimeoutLeavesItsThreadUninterruptedAfterwards() throws Exception {
    OpDefinition<?> quick = OpDefinition.builder("quick").output(String.class).body(ctx -> "done");

    StepAttempt attempt = runHere(quick, Duration.ofMillis(200));
    Thread.sleep(500); // past the timeout: a watch left running would interrupt this sleep

    assertThat(attempt.outcome().status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void anOpThatIgnoresItsInterruptStillTimesOutAndTheInterruptIsCleared() {
    OpDefinition<?> stubborn =
        OpDefinition.builder("stubborn")
            .output(String.class)
            .body(
                ctx -> {
                  long until = System.nanoTime() + Duration.ofMillis(400).toNanos();
                  while (System.nanoTime() < until) {
                    Thread.onSpinWait(); // ignores the interrupt on purpose
                  }
                  return "late";
                });

    StepAttempt attempt = runHere(stubborn, Duration.ofMillis(100));

    assertThat(attempt.outcome().status()).isEqualTo(StepStatus.FAILED);
    assertThat(attempt.outcome().error().type()).isEqualTo(StepTimedOutException.class.getName());
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }
}
