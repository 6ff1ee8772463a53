package io.opflow.core.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.RetryPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class InProcessExecutorTest {
  private static OpDefinition<?> source(int value) {
    return OpDefinition.builder("source").output(Integer.class).body(ctx -> value);
  }

  private static OpDefinition<?> times(String name, int factor) {
    return OpDefinition.builder(name)
        .input("num", Integer.class)
        .output(Integer.class)
        .body(ctx -> ctx.input("num", Integer.class) * factor);
  }

  private static final OpDefinition<?> SUM =
      OpDefinition.builder("sum")
          .input("left", Integer.class)
          .input("right", Integer.class)
          .output(Integer.class)
          .body(ctx -> ctx.input("left", Integer.class) + ctx.input("right", Integer.class));

  @Test
  void aDiamondPassesOutputsAlongItsEdges() {
    JobDefinition job =
        JobDefinition.builder("diamond")
            .add(SUM.input("left", "double").input("right", "triple"))
            .add(times("double", 2).input("num", "source"))
            .add(times("triple", 3).input("num", "source"))
            .add(source(5))
            .build();

    ExecutionResult result = job.executeInProcess();

    assertThat(result.success()).isTrue();
    assertThat(result.output("sum")).isEqualTo(25);
    assertThat(job.nodes()).extracting(n -> n.name()).startsWith("source").endsWith("sum");
  }

  @Test
  void independentStepsRunConcurrently() {
    CountDownLatch bothRunning = new CountDownLatch(2);
    OpDefinition<?> waiter =
        OpDefinition.builder("waiter")
            .output(Boolean.class)
            .body(
                ctx -> {
                  bothRunning.countDown();
                  return bothRunning.await(5, TimeUnit.SECONDS);
                });
    JobDefinition job =
        JobDefinition.builder("parallel").add(waiter.alias("x")).add(waiter.alias("y")).build();

    ExecutionResult result =
        job.executeInProcess(
            io.opflow.core.config.RunConfig.empty(),
            ExecuteOptions.defaults().withMaxConcurrency(2));

    assertThat(result.output("x")).isEqualTo(true);
    assertThat(result.output("y")).isEqualTo(true);
  }

  @Test
  void aRetriedStepThatSucceedsEndsTheRunSuccessfully() {
    AtomicInteger calls = new AtomicInteger();
    OpDefinition<?> flaky =
        OpDefinition.builder("flaky")
            .output(Integer.class)
            .retryPolicy(
                RetryPolicy.builder()
                    .maxRetries(3)
                    .delay(Duration.ofMillis(5))
                    .backoffMultiplier(2)
                    .build())
            .body(
                ctx -> {
                  if (calls.incrementAndGet() < 3) {
                    throw new IllegalStateException("not yet");
                  }
                  return ctx.attempt();
                });

    ExecutionResult result = JobDefinition.builder("job").add(flaky).build().executeInProcess();

    assertThat(result.success()).isTrue();
    assertThat(result.output("flaky")).isEqualTo(3);
    assertThat(result.events(ExecutionEvent.StepUpForRetry.class))
        .extracting(ExecutionEvent.StepUpForRetry::nextAttempt, e -> e.delay().toMillis())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(2, 5L),
            org.assertj.core.groups.Tuple.tuple(3, 10L));
  }

  @Test
  void onlyErrorTypesTheRetryPolicyNamesAreRetried() {
    AtomicInteger calls = new AtomicInteger();
    OpDefinition<?> op =
        OpDefinition.builder("op")
            .retryPolicy(
                RetryPolicy.builder()
                    .maxRetries(3)
                    .delay(Duration.ZERO)
                    .retryOn(IOException.class)
                    .build())
            .body(
                ctx -> {
                  calls.incrementAndGet();
                  throw new IllegalArgumentException("bad input is not worth retrying");
                });

    ExecutionResult result = JobDefinition.builder("job").add(op).build().executeInProcess();

    assertThat(calls).hasValue(1);
    assertThat(result.step("op").error().retriable()).isFalse();
  }

  @Test
  void aFinalFailureSkipsEverythingDownstreamAndFailsTheRun() {
    OpDefinition<?> broken =
        OpDefinition.builder("source")
            .output(Integer.class)
            .body(
                ctx -> {
                  throw new UncheckedIOException(new IOException("disk gone"));
                });
    JobDefinition job =
        JobDefinition.builder("job")
            .add(broken)
            .add(times("double", 2).input("num", "source"))
            .add(times("again", 2).input("num", "double"))
            .build();

    ExecutionResult result = job.executeInProcess();

    assertThat(result.status()).isEqualTo(RunStatus.FAILED);
    assertThat(result.step("double").status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(result.step("again").status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(result.step("source").error().cause().summary())
        .isEqualTo("java.io.IOException: disk gone");
    assertThat(result.events().get(result.events().size() - 1))
        .isInstanceOf(ExecutionEvent.RunFailed.class);
  }

  @Test
  void eventsComeInTheOrderThingsHappened() {
    JobDefinition job =
        JobDefinition.builder("job")
            .add(source(1))
            .add(times("double", 2).input("num", "source"))
            .build();

    List<String> types =
        job.executeInProcess().events().stream().map(ExecutionEvent::type).toList();

    assertThat(types)
        .containsExactly(
            "RunStarted",
            "StepStarted",
            "StepSucceeded",
            "StepStarted",
            "StepSucceeded",
            "RunSucceeded");
  }

  @Test
  void aFailedRunThrowsOnlyWhenAskedTo() {
    JobDefinition job =
        JobDefinition.builder("job")
            .add(
                OpDefinition.builder("op")
                    .body(
                        ctx -> {
                          throw new IllegalStateException("nope");
                        }))
            .build();

    assertThat(job.executeInProcess().success()).isFalse();
    assertThatThrownBy(
            () ->
                job.executeInProcess(
                    io.opflow.core.config.RunConfig.empty(),
                    ExecuteOptions.defaults().raisingOnFailure()))
        .isInstanceOf(RunFailedException.class)
        .hasMessageContaining("ended with FAILED")
        .hasMessageContaining("op (java.lang.IllegalStateException: nope)");
  }

  @Test
  void anUnproducedOptionalOutputSkipsItsReadersButTheRunSucceeds() {
    OpDefinition<?> maybe =
        OpDefinition.builder("maybe").optionalOutput("found", Integer.class).body(ctx -> null);
    JobDefinition job =
        JobDefinition.builder("job")
            .add(maybe)
            .add(times("use", 2).input("num", "maybe", "found"))
            .build();

    ExecutionResult result = job.executeInProcess();

    assertThat(result.success()).isTrue();
    assertThat(result.step("use").status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(result.events(ExecutionEvent.StepSkipped.class).get(0).reason())
        .isEqualTo("output 'maybe.found' was not produced");
  }

  @Test
  void aMissingRequiredOutputFailsTheStepWithAMessageThatSaysWhatToDo() {
    OpDefinition<?> forgetful =
        OpDefinition.builder("forgetful").output(Integer.class).body(ctx -> null);

    ExecutionResult result = JobDefinition.builder("job").add(forgetful).build().executeInProcess();

    assertThat(result.step("forgetful").error().message())
        .isEqualTo(
            "op 'forgetful' finished without producing output 'result'; return a value or call"
                + " ctx.output(\"result\", value), or declare it with optionalOutput(...)");
  }

  @Test
  void anOutputOfTheWrongTypeFailsTheStep() {
    OpDefinition<?> wrong =
        OpDefinition.builder("wrong").output(Integer.class).body(ctx -> "seven");

    ExecutionResult result = JobDefinition.builder("job").add(wrong).build().executeInProcess();

    assertThat(result.step("wrong").error().message())
        .isEqualTo(
            "op 'wrong' output 'result' must be a java.lang.Integer, got a java.lang.String");
  }
}
