package io.opflow.core.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.RetryPolicy;
import io.opflow.core.StepTimedOutException;
import io.opflow.core.config.InvalidRunConfigException;
import io.opflow.core.config.RunConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class OpTimeoutTest {
  private static OpDefinition.Builder<?> sleeper(String name) {
    return OpDefinition.builder(name).output(String.class);
  }

  private static String sleep(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
    return "woke";
  }

  @Test
  void anOpPastItsTimeoutIsInterruptedAndItsStepFailsWithStepTimedOut() {
    OpDefinition<?> hung =
        sleeper("hung").timeout(Duration.ofMillis(200)).body(ctx -> sleep(Duration.ofSeconds(20)));

    long start = System.nanoTime();
    ExecutionResult result = JobDefinition.builder("job").add(hung).build().executeInProcess();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(result.success()).isFalse();
    assertThat(result.step("hung").error().type()).isEqualTo(StepTimedOutException.class.getName());
    assertThat(result.step("hung").error().message())
        .contains("'hung'", "PT0.2S", "ops.hung.timeout");
  }

  @Test
  void anOpWithinItsTimeoutSucceeds() {
    OpDefinition<?> quick = sleeper("quick").timeout(Duration.ofMillis(300)).body(ctx -> "done");

    ExecutionResult result = JobDefinition.builder("job").add(quick).build().executeInProcess();

    assertThat(result.success()).isTrue();
    assertThat(result.output("quick")).isEqualTo("done");
  }

  @Test
  void theRunConfigOverridesTheOpsTimeout() {
    OpDefinition<?> slow =
        sleeper("slow").timeout(Duration.ofMillis(100)).body(ctx -> sleep(Duration.ofMillis(400)));
    JobDefinition job = JobDefinition.builder("job").add(slow).build();

    ExecutionResult result = job.executeInProcess(RunConfig.fromYaml("ops: {slow: {timeout: 5s}}"));

    assertThat(result.success()).isTrue();
    assertThat(RunConfig.fromYaml("ops: {slow: {timeout: 250ms}}").opTimeout("slow"))
        .contains(Duration.ofMillis(250));
    assertThat(RunConfig.fromYaml("ops: {slow: {timeout: PT1M}}").opTimeout("slow"))
        .contains(Duration.ofMinutes(1));
    assertThat(RunConfig.fromYaml("ops: {slow: {timeout: 2}}").opTimeout("slow"))
        .contains(Duration.ofSeconds(2));
  }

  @Test
  void aRetryPolicyRetriesATimedOutAttempt() {
    AtomicInteger calls = new AtomicInteger();
    OpDefinition<?> flaky =
        sleeper("flaky")
            .timeout(Duration.ofMillis(150))
            .retryPolicy(
                RetryPolicy.builder()
                    .maxRetries(1)
                    .delay(Duration.ZERO)
                    .retryOn(StepTimedOutException.class)
                    .build())
            .body(ctx -> calls.incrementAndGet() == 1 ? sleep(Duration.ofSeconds(20)) : "second");

    ExecutionResult result = JobDefinition.builder("job").add(flaky).build().executeInProcess();

    assertThat(result.success()).isTrue();
    assertThat(result.output("flaky")).isEqualTo("second");
    assertThat(calls).hasValue(2);
  }

  @Test
  void aBadTimeoutIsRefusedWithWhatIsExpected() {
    assertThatThrownBy(() -> RunConfig.fromYaml("ops: {slow: {timeout: soon}}"))
        .isInstanceOf(InvalidRunConfigException.class)
        .hasMessageContaining("ops.slow.timeout")
        .hasMessageContaining("30s");
    assertThatThrownBy(() -> RunConfig.fromYaml("resources: {db: {timeout: 5s}}"))
        .isInstanceOf(InvalidRunConfigException.class)
        .hasMessageContaining("resources.db.timeout");
    assertThatThrownBy(() -> sleeper("x").timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'x' timeout must be positive");
  }
}
