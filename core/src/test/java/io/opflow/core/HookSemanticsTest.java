package io.opflow.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.core.TestOps.Recorder;
import io.opflow.core.config.RunConfig;
import io.opflow.core.execution.ExecutionResult;
import io.opflow.core.execution.HookOutcome;
import io.opflow.core.execution.HookResult;
import io.opflow.core.execution.StepStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.MDC;

@Timeout(30)
class HookSemanticsTest {
  private final Recorder recorder = new Recorder();

  @Test
  void aJobHookAppliesToEveryOp() {
    HookDefinition onSuccess = recorder.success("notify");
    JobDefinition job =
        JobDefinition.builder("job")
            .add(TestOps.constant("a", 1))
            .add(TestOps.addOne("b").input("num", "a"))
            .hooks(onSuccess)
            .build();

    job.executeInProcess();

    assertThat(recorder.calls).containsExactly("notify:a", "notify:b");
  }

  @Test
  void aNodeHookAppliesToThatNodeOnly() {
    JobDefinition job =
        JobDefinition.builder("job")
            .add(TestOps.constant("a", 1).withHooks(recorder.success("on_a")))
            .add(TestOps.addOne("b").input("num", "a"))
            .build();

    ExecutionResult result = job.executeInProcess();

    assertThat(recorder.calls).containsExactly("on_a:a");
    assertThat(result.hooksFor("b")).isEmpty();
  }

  @Test
  void jobHooksRunBeforeNodeHooksAndAHookAttachedTwiceRunsOnce() {
    HookDefinition first = recorder.success("first");
    HookDefinition second = recorder.success("second");
    HookDefinition third = recorder.success("third");
    JobDefinition job =
        JobDefinition.builder("job")
            .add(TestOps.constant("a", 1).withHooks(third, first))
            .hooks(first, second)
            .build();

    job.executeInProcess();

    assertThat(recorder.calls).containsExactly("first:a", "second:a", "third:a");
  }

  @Test
  void aHookThatDoesNotApplyIsRecordedAsSkipped() {
    JobDefinition job =
        JobDefinition.builder("job")
            .add(TestOps.constant("a", 1))
            .hooks(recorder.failure("on_failure"), recorder.success("on_success"))
            .build();

    ExecutionResult result = job.executeInProcess();

    assertThat(result.hooksFor("a"))
        .extracting(HookResult::hookName, HookResult::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("on_failure", HookOutcome.SKIPPED),
            org.assertj.core.groups.Tuple.tuple("on_success", HookOutcome.COMPLETED));
    assertThat(recorder.calls).containsExactly("on_success:a");
  }

  @Test
  void aFailureHookFiresOnceAfterRetriesAreUsedUpAndSeesTheLastAttempt() {
    AtomicInteger attempts = new AtomicInteger();
    List<Integer> hookAttempts = new java.util.concurrent.CopyOnWriteArrayList<>();
    OpDefinition<?> flaky =
        OpDefinition.builder("flaky")
            .retryPolicy(TestOps.quickRetries(2))
            .body(
                ctx -> {
                  attempts.incrementAndGet();
                  throw new IllegalStateException("attempt " + ctx.attempt());
                });
    HookDefinition onFailure =
        HookDefinition.failureHook("on_failure").handler(ctx -> hookAttempts.add(ctx.attempt()));

    ExecutionResult result =
        JobDefinition.builder("job").add(flaky).hooks(onFailure).build().executeInProcess();

    assertThat(attempts).hasValue(3);
    assertThat(hookAttempts).containsExactly(3);
    assertThat(result.step("flaky").status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.step("flaky").attempts()).isEqualTo(3);
  }

  @Test
  void aRetryHookFiresForEachAttemptPutUpForRetryAndNeverForTheLastOne() {
    List<String> fired = new java.util.concurrent.CopyOnWriteArrayList<>();
    OpDefinition<?> flaky =
        OpDefinition.builder("flaky")
            .retryPolicy(TestOps.quickRetries(2))
            .body(
                ctx -> {
                  throw new IllegalStateException("attempt " + ctx.attempt());
                });
    HookDefinition onRetry =
        HookDefinition.retryHook("on_retry")
            .handler(
                ctx ->
                    fired.add(
                        "retry:"
                            + ctx.attempt()
                            + "->"
                            + ctx.nextAttempt().orElseThrow().attempt()
                            + ":"
                            + ctx.opException().orElseThrow().getMessage()));
    HookDefinition onFailure =
        HookDefinition.failureHook("on_failure")
            .handler(ctx -> fired.add("failure:" + ctx.attempt()));

    ExecutionResult result =
        JobDefinition.builder("job")
            .add(flaky)
            .hooks(onRetry, onFailure)
            .build()
            .executeInProcess();

    assertThat(fired).containsExactly("retry:1->2:attempt 1", "retry:2->3:attempt 2", "failure:3");
    assertThat(result.hooksFor("flaky"))
        .filteredOn(h -> h.hookName().equals("on_retry"))
        .extracting(HookResult::attempt, HookResult::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, HookOutcome.COMPLETED),
            org.assertj.core.groups.Tuple.tuple(2, HookOutcome.COMPLETED),
            org.assertj.core.groups.Tuple.tuple(3, HookOutcome.SKIPPED));
  }

  @Test
  void aRetryHookDoesNotFireForAStepThatSucceedsFirstTime() {
    List<String> fired = new java.util.concurrent.CopyOnWriteArrayList<>();
    HookDefinition onRetry =
        HookDefinition.retryHook("on_retry").handler(ctx -> fired.add("retry:" + ctx.stepKey()));

    JobDefinition.builder("job")
        .add(TestOps.constant("a", 1))
        .hooks(onRetry)
        .build()
        .executeInProcess();

    assertThat(fired).isEmpty();
  }

  @Test
  void aHookWithARetryPolicyIsTriedAgainUnderTheSameKeyAndEachTryIsRecorded() {
    List<String> tries = new java.util.concurrent.CopyOnWriteArrayList<>();
    HookDefinition flakyHook =
        HookDefinition.successHook("flaky_hook")
            .retryPolicy(RetryPolicy.builder().maxRetries(3).delay(Duration.ofMillis(10)).build())
            .handler(
                ctx -> {
                  tries.add(ctx.tryNumber() + ":" + ctx.idempotencyKey());
                  if (ctx.tryNumber() < 3) {
                    throw new IllegalStateException("try " + ctx.tryNumber());
                  }
                });

    ExecutionResult result =
        JobDefinition.builder("job")
            .add(TestOps.constant("a", 1))
            .hooks(flakyHook)
            .build()
            .executeInProcess();

    String key = result.runId() + "/a/1/flaky_hook";
    assertThat(tries).containsExactly("1:" + key, "2:" + key, "3:" + key);
    assertThat(result.hooksFor("a"))
        .extracting(HookResult::outcome)
        .containsExactly(HookOutcome.ERRORED, HookOutcome.ERRORED, HookOutcome.COMPLETED);
  }

  @Test
  void aHookRetriesOnlyTheErrorTypesItsPolicyNames() {
    AtomicInteger calls = new AtomicInteger();
    HookDefinition picky =
        HookDefinition.successHook("picky")
            .retryPolicy(
                RetryPolicy.builder()
                    .maxRetries(3)
                    .delay(Duration.ofMillis(10))
                    .retryOn(java.io.IOException.class)
                    .build())
            .handler(
                ctx -> {
                  calls.incrementAndGet();
                  throw new IllegalArgumentException("not an I/O error");
                });

    ExecutionResult result =
        JobDefinition.builder("job")
            .add(TestOps.constant("a", 1))
            .hooks(picky)
            .build()
            .executeInProcess();

    assertThat(calls).hasValue(1);
    assertThat(result.hooksFor("a"))
        .extracting(HookResult::outcome)
        .containsExactly(HookOutcome.ERRORED);
  }

  @Test
  void aThrowingHookIsErroredAndChangesNeitherStepNorRunAndLaterHooksStillRun() {
    HookDefinition broken =
        HookDefinition.successHook("broken")
            .handler(
                ctx -> {
                  throw new IllegalStateException("slack is down");
                });
    JobDefinition job =
        JobDefinition.builder("job")
            .add(TestOps.constant("a", 1))
            .hooks(broken, recorder.success("after"))
            .build();

    ExecutionResult result = job.executeInProcess();

    assertThat(result.success()).isTrue();
    assertThat(result.step("a").status()).isEqualTo(StepStatus.SUCCEEDED);
    HookResult errored = result.hooksFor("a").get(0);
    assertThat(errored.outcome()).isEqualTo(HookOutcome.ERRORED);
    assertThat(errored.error().summary())
        .isEqualTo("java.lang.IllegalStateException: slack is down");
    assertThat(recorder.calls).containsExactly("after:a");
  }

  @Test
  void aHookThatRunsPastItsTimeoutIsErrored() {
    HookDefinition slow =
        HookDefinition.successHook("slow")
            .timeout(Duration.ofMillis(100))
            .handler(ctx -> Thread.sleep(10_000));

    ExecutionResult result =
        JobDefinition.builder("job")
            .add(TestOps.constant("a", 1))
            .hooks(slow)
            .build()
            .executeInProcess();

    HookResult hook = result.hooksFor("a").get(0);
    assertThat(hook.outcome()).isEqualTo(HookOutcome.ERRORED);
    assertThat(hook.error().message()).contains("ran longer than PT0.1S");
  }

  @Test
  void aFailureHookSeesTheExceptionAndTheOutputsProducedBeforeTheFailure() {
    OpDefinition<?> partial =
        OpDefinition.builder("partial")
            .output("rows", Integer.class)
            .output("checksum", String.class)
            .body(
                ctx -> {
                  ctx.output("rows", 42);
                  throw new IllegalArgumentException("checksum mismatch");
                });
    AtomicReference<HookContext> seen = new AtomicReference<>();
    HookDefinition onFailure = HookDefinition.failureHook("inspect").handler(seen::set);

    JobDefinition.builder("job").add(partial).hooks(onFailure).build().executeInProcess();

    HookContext ctx = seen.get();
    assertThat(ctx.opException()).get().isInstanceOf(IllegalArgumentException.class);
    assertThat(ctx.opException().get()).hasMessage("checksum mismatch");
    assertThat(ctx.opError())
        .get()
        .extracting(ErrorInfo::type)
        .isEqualTo("java.lang.IllegalArgumentException");
    assertThat(ctx.opOutputValues()).containsExactly(Map.entry("rows", 42));
  }

  record Threshold(int minimum) {}

  @Test
  void theHookContextCarriesEveryField() {
    OpDefinition<Threshold> check =
        OpDefinition.builder("check")
            .config(Threshold.class)
            .output(Integer.class)
            .requiredResourceKeys("db")
            .body(ctx -> ctx.config().minimum());
    AtomicReference<HookContext> seen = new AtomicReference<>();
    Map<String, String> mdc = new ConcurrentHashMap<>();
    HookDefinition hook =
        HookDefinition.successHook("inspect")
            .requiredResourceKeys("slack")
            .handler(
                ctx -> {
                  seen.set(ctx);
                  mdc.putAll(MDC.getCopyOfContextMap());
                  ctx.resource("slack", String.class);
                });
    JobDefinition job =
        JobDefinition.builder("job")
            .add(check.alias("check_rows").withHooks(hook))
            .resource("db", ResourceDefinition.hardcoded("a-db"))
            .resource("slack", ResourceDefinition.hardcoded("a-slack"))
            .build();

    ExecutionResult result =
        job.executeInProcess(
            RunConfig.fromYaml("ops:\n  check_rows:\n    config:\n      minimum: 7\n"));

    HookContext ctx = seen.get();
    assertThat(ctx.jobName()).isEqualTo("job");
    assertThat(ctx.runId()).isEqualTo(result.runId());
    assertThat(ctx.stepKey()).isEqualTo("check_rows");
    assertThat(ctx.attempt()).isEqualTo(1);
    assertThat(ctx.op()).isSameAs(check);
    assertThat(ctx.opConfig(Threshold.class)).isEqualTo(new Threshold(7));
    assertThat(ctx.opOutputValues()).containsEntry("result", 7);
    assertThat(ctx.opException()).isEmpty();
    assertThat(ctx.hookDefinition()).isSameAs(hook);
    assertThat(ctx.requiredResourceKeys()).containsExactly("slack");
    assertThat(ctx.resources().keys()).containsExactly("slack");
    assertThat(ctx.idempotencyKey()).isEqualTo(result.runId() + "/check_rows/1/inspect");
    assertThat(mdc).containsEntry("runId", result.runId()).containsEntry("stepKey", "check_rows");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ctx.resource("db", String.class))
        .hasMessageContaining("hook 'inspect' did not declare resource 'db'");
  }

  @Test
  void hooksOfSkippedStepsAreRecordedAsSkipped() {
    JobDefinition job =
        JobDefinition.builder("job")
            .add(TestOps.failing("a", new IllegalStateException("boom")))
            .add(TestOps.addOne("b").input("num", "a"))
            .hooks(recorder.failure("on_failure"))
            .build();

    ExecutionResult result = job.executeInProcess();

    assertThat(result.step("b").status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(result.hooksFor("b"))
        .singleElement()
        .satisfies(
            hook -> {
              assertThat(hook.outcome()).isEqualTo(HookOutcome.SKIPPED);
              assertThat(hook.reason()).contains("upstream step 'a' failed");
            });
    assertThat(recorder.calls).containsExactly("on_failure:a");
  }
}
