package io.opflow.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.core.HookDefinition;
import io.opflow.core.HookHandler;
import io.opflow.core.OpDefinition;
import io.opflow.core.execution.HookOutcome;
import io.opflow.core.execution.HookResult;
import io.opflow.core.execution.StepStatus;
import io.opflow.core.testing.TestContexts;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HookExecutionTest {
  private final ExecutorService oneThread = Executors.newSingleThreadExecutor();
  private final HookExecution execution = new HookExecution(oneThread);
  private final StepOutcome succeeded =
      new StepOutcome(
          new StepIdentity("job", "run", "a", 1),
          OpDefinition.builder("a").body(ctx -> null),
          null,
          StepStatus.SUCCEEDED,
          null,
          null,
          Map.of(),
          null);

  @AfterEach
  void tearDown() {
    oneThread.shutdownNow();
  }

  @Test
  void aHookPastItsTimeoutIsInterruptedSeesItWasCanceledAndIsErrored() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    AtomicBoolean sawCanceled = new AtomicBoolean();
    HookDefinition slow =
        hook(
            "slow",
            100,
            ctx -> {
              try {
                Thread.sleep(10_000);
              } catch (InterruptedException e) {
                sawCanceled.set(ctx.isCanceled());
                interrupted.countDown();
                throw e;
              }
            });

    HookResult result = execution.runOne(succeeded, slow, key -> null);

    assertThat(result.outcome()).isEqualTo(HookOutcome.ERRORED);
    assertThat(result.error().type()).isEqualTo("java.util.concurrent.TimeoutException");
    assertThat(result.error().message())
        .contains("'slow' ran longer than PT0.1S")
        .contains("interrupted")
        .contains("may still have taken effect");
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(sawCanceled).isTrue();
  }

  @Test
  void aHookThatPollsIsCanceledStopsOnItsOwn() throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    HookDefinition polling =
        hook(
            "polling",
            100,
            ctx -> {
              while (!ctx.isCanceled()) {
                Thread.onSpinWait();
              }
              stopped.countDown();
            });

    HookResult result = execution.runOne(succeeded, polling, key -> null);

    assertThat(result.outcome()).isEqualTo(HookOutcome.ERRORED);
    assertThat(stopped.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void theTimeoutCountsFromTheHooksStartNotItsWaitForAThread() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<HookResult> first = occupyTheOnlyHookThread(release);
    CompletableFuture<HookResult> second =
        CompletableFuture.supplyAsync(
            () ->
                execution.runOne(succeeded, hook("second", 500, ctx -> Thread.sleep(300)), k -> 1));
    // Queued 300 ms plus running 300 ms is past the timeout of 500 ms, but each alone is within it.
    Thread.sleep(300);
    release.countDown();

    assertThat(first.get(5, TimeUnit.SECONDS).outcome()).isEqualTo(HookOutcome.COMPLETED);
    assertThat(second.get(5, TimeUnit.SECONDS).outcome()).isEqualTo(HookOutcome.COMPLETED);
  }

  @Test
  void aHookThatCannotGetAThreadWithinItsTimeoutNeverRuns() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean secondRan = new AtomicBoolean();
    CompletableFuture<HookResult> first = occupyTheOnlyHookThread(release);

    HookResult second =
        execution.runOne(succeeded, hook("second", 100, ctx -> secondRan.set(true)), k -> 1);
    release.countDown();
    first.get(5, TimeUnit.SECONDS);

    assertThat(second.outcome()).isEqualTo(HookOutcome.ERRORED);
    assertThat(second.error().message()).contains("did not start within its timeout of PT0.1S");
    oneThread.submit(() -> null).get(5, TimeUnit.SECONDS);
    assertThat(secondRan).isFalse();
  }

  private CompletableFuture<HookResult> occupyTheOnlyHookThread(CountDownLatch release)
      throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    HookDefinition first =
        hook(
            "first",
            5_000,
            ctx -> {
              running.countDown();
              release.await();
            });
    CompletableFuture<HookResult> result =
        CompletableFuture.supplyAsync(() -> execution.runOne(succeeded, first, k -> 1));
    assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
    return result;
  }

  private static HookDefinition hook(String name, long timeoutMillis, HookHandler handler) {
    return HookDefinition.successHook(name)
        .timeout(Duration.ofMillis(timeoutMillis))
        .handler(handler);
  }

  @Test
  void aTestContextCanBeBuiltCanceled() {
    HookDefinition hook = HookDefinition.successHook("h").handler(ctx -> {});
    assertThat(TestContexts.hookContext().canceled().build(hook).isCanceled()).isTrue();
    assertThat(TestContexts.hookContext().build(hook).isCanceled()).isFalse();
  }

  @Test
  @SuppressWarnings("deprecation") // the former spelling is what this test checks
  void theFormerSpellingsStillWork() {
    HookDefinition hook = HookDefinition.successHook("h").handler(ctx -> {});
    assertThat(TestContexts.hookContext().cancelled().build(hook).isCancelled()).isTrue();
    assertThat(TestContexts.hookContext().cancelled().build(hook).isCanceled()).isTrue();
    assertThat(TestContexts.hookContext().build(hook).isCancelled()).isFalse();
  }
}
