package io.opflow.core.spi;

import io.opflow.core.ErrorInfo;
import io.opflow.core.HookDefinition;
import io.opflow.core.execution.HookOutcome;
import io.opflow.core.execution.HookResult;
import io.opflow.core.execution.StepStatus;
import io.opflow.core.internal.Cancellation;
import io.opflow.core.internal.DefaultHookContext;
import io.opflow.core.internal.HookCall;
import io.opflow.core.internal.RestrictedResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs the hooks of one terminal step in order, each with its timeout, and records one result per
 * hook. A hook that throws or times out is recorded as errored; the rest still run. A hook past its
 * timeout is interrupted and its context says it was canceled, but it may already have had its
 * effect. Used by the in-process executor and by the hooks-runner.
 */
public final class HookExecution {
  private final ExecutorService hookThreads;

  /** Creates an execution that runs hook handlers on {@code hookThreads}. */
  public HookExecution(ExecutorService hookThreads) {
    this.hookThreads = hookThreads;
  }

  /**
   * Runs {@code hooks} for a step outcome.
   *
   * @param resources builds or returns a resource by key
   */
  public List<HookResult> run(
      StepOutcome outcome, List<HookDefinition> hooks, Function<String, Object> resources) {
    List<HookResult> results = new ArrayList<>();
    for (HookDefinition hook : hooks) {
      results.add(runOne(outcome, hook, resources));
    }
    return results;
  }

  /**
   * Runs one hook for a step outcome on a hook thread and waits for it, at most its timeout from
   * the moment it starts. A hook past its timeout is canceled: its context reports {@link
   * DefaultHookContext#isCanceled()}, its thread is interrupted, and it is recorded as errored with
   * a {@link TimeoutException}. A hook that waited its whole timeout for a free hook thread never
   * starts, and is recorded the same way.
   */
  public HookResult runOne(
      StepOutcome outcome, HookDefinition hook, Function<String, Object> resources) {
    return tryOnce(outcome, hook, resources, 1, 1).result();
  }

  /**
   * One try of a hook call, and whether its retry policy asks for another.
   *
   * @param result what happened to the hook
   * @param nextTryIn the delay before the next try, or {@code null} when this try was the last
   */
  public record Try(HookResult result, Duration nextTryIn) {
    /** Returns whether no try follows this one. */
    public boolean last() {
      return nextTryIn == null;
    }
  }

  /**
   * Runs one try of a hook call, as {@link #runOne} does, and decides by the hook's retry policy
   * whether another try follows: only after an error of a type the policy retries, while tries are
   * left. Waiting for the next try is the caller's.
   *
   * @param tryNumber 1 for the first try
   * @param generation 1 for the original call, 2 and up for a replay's
   */
  public Try tryOnce(
      StepOutcome outcome,
      HookDefinition hook,
      Function<String, Object> resources,
      int tryNumber,
      int generation) {
    HookCall call = new HookCall(outcome.nextAttempt(), tryNumber, generation);
    String skipReason = skipReason(outcome, hook);
    if (skipReason != null) {
      return new Try(result(outcome, hook, HookOutcome.SKIPPED, skipReason, null), null);
    }
    Throwable error = runUnlessSkipped(outcome, hook, resources, call);
    if (error == null) {
      return new Try(result(outcome, hook, HookOutcome.COMPLETED, null, null), null);
    }
    return new Try(
        errored(outcome, hook, error), hook.retryPolicy().delayAfterFailedTry(tryNumber, error));
  }

  /**
   * Runs a hook call's tries one after another on the calling thread, waiting out each delay, and
   * gives each try's result to {@code eachTry}: for the in-process executor, where nothing else
   * waits for this thread.
   */
  public void runWithRetries(
      StepOutcome outcome,
      HookDefinition hook,
      Function<String, Object> resources,
      Consumer<HookResult> eachTry) {
    for (int tryNumber = 1; ; tryNumber++) {
      Try done = tryOnce(outcome, hook, resources, tryNumber, 1);
      eachTry.accept(done.result());
      if (done.last()) {
        return;
      }
      try {
        Thread.sleep(done.nextTryIn().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  // Returns what the hook threw (or why it was stopped), or null when it completed.
  private Throwable runUnlessSkipped(
      StepOutcome outcome, HookDefinition hook, Function<String, Object> resources, HookCall call) {
    Cancellation cancellation = new Cancellation();
    DefaultHookContext context = context(outcome, hook, resources, cancellation, call);
    CountDownLatch started = new CountDownLatch(1);
    Future<?> running =
        hookThreads.submit(
            () -> {
              started.countDown();
              return invoke(outcome, hook, context);
            });
    try {
      return await(hook, running, started, cancellation);
    } catch (InterruptedException e) {
      stop(running, cancellation);
      Thread.currentThread().interrupt();
      return e;
    }
  }

  private Throwable await(
      HookDefinition hook, Future<?> running, CountDownLatch started, Cancellation cancellation)
      throws InterruptedException {
    long timeoutMillis = hook.timeout().toMillis();
    // The timeout counts from the hook's start: time spent queued for a busy hook thread is not
    // the hook's. A hook that cannot start within its timeout is dropped before it runs.
    if (!started.await(timeoutMillis, TimeUnit.MILLISECONDS) && running.cancel(false)) {
      return notStarted(hook);
    }
    // A hook that finished just as its time ran out cannot be canceled: its own result stands.
    if (!awaitDone(running, timeoutMillis) && stop(running, cancellation)) {
      return timedOut(hook);
    }
    return finished(running);
  }

  private static boolean awaitDone(Future<?> running, long timeoutMillis)
      throws InterruptedException {
    try {
      running.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return true; // done, with an error finished() reads
    } catch (TimeoutException e) {
      return false;
    }
    return true;
  }

  private static Throwable finished(Future<?> done) throws InterruptedException {
    try {
      done.get();
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  // Canceled first, so a hook that catches the interruption already sees isCanceled(). Returns
  // false when the hook had already finished.
  private static boolean stop(Future<?> running, Cancellation cancellation) {
    cancellation.cancel();
    return running.cancel(true);
  }

  private static TimeoutException timedOut(HookDefinition hook) {
    return new TimeoutException(
        "hook '"
            + hook.name()
            + "' ran longer than "
            + hook.timeout()
            + " and was interrupted; what it did before may still have taken effect");
  }

  private static TimeoutException notStarted(HookDefinition hook) {
    return new TimeoutException(
        "hook '"
            + hook.name()
            + "' did not start within its timeout of "
            + hook.timeout()
            + ": every hook thread was busy (hooks that ignore interruption keep theirs)");
  }

  private static Void invoke(StepOutcome outcome, HookDefinition hook, DefaultHookContext context)
      throws Exception {
    StepIdentity id = outcome.identity();
    try (LogContext ignored =
        LogContext.forHook(id.runId(), id.stepKey(), outcome.op().name(), hook.name())) {
      hook.invoke(context);
    }
    return null;
  }

  private static String skipReason(StepOutcome outcome, HookDefinition hook) {
    if (outcome.upForRetry()) {
      return hook.firesForRetry()
          ? null
          : "attempt "
              + outcome.identity().attempt()
              + " was put up for retry; "
              + hook.kind().name().toLowerCase(Locale.ROOT)
              + " hooks fire for the attempt that ends the step";
    }
    if (outcome.status() == StepStatus.SKIPPED || outcome.status() == StepStatus.CANCELED) {
      return "step "
          + outcome.status().name().toLowerCase(Locale.ROOT)
          + (outcome.reason() == null ? "" : ": " + outcome.reason());
    }
    boolean succeeded = outcome.status() == StepStatus.SUCCEEDED;
    if (!hook.appliesTo(succeeded)) {
      return (succeeded ? "step succeeded" : "step failed")
          + "; "
          + hook.kind().name().toLowerCase(Locale.ROOT)
          + " hook does not apply";
    }
    return null;
  }

  private static DefaultHookContext context(
      StepOutcome outcome,
      HookDefinition hook,
      Function<String, Object> resources,
      Cancellation cancellation,
      HookCall call) {
    return new DefaultHookContext(
        outcome.identity(),
        hook,
        outcome.op(),
        outcome.opConfig(),
        outcome.exception(),
        outcome.error(),
        outcome.outputs(),
        new RestrictedResources(
            "hook '" + hook.name() + "'", hook.requiredResourceKeys(), resources),
        cancellation,
        call);
  }

  private static HookResult errored(StepOutcome outcome, HookDefinition hook, Throwable error) {
    return result(outcome, hook, HookOutcome.ERRORED, null, ErrorInfo.from(error, false));
  }

  private static HookResult result(
      StepOutcome outcome,
      HookDefinition hook,
      HookOutcome hookOutcome,
      String reason,
      ErrorInfo error) {
    StepIdentity id = outcome.identity();
    return new HookResult(
        id.stepKey(), id.attempt(), hook.name(), hook.kind(), hookOutcome, reason, error);
  }
}
