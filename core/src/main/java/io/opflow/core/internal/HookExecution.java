package io.opflow.core.internal;

import io.opflow.core.ErrorInfo;
import io.opflow.core.HookDefinition;
import io.opflow.core.execution.HookOutcome;
import io.opflow.core.execution.HookResult;
import io.opflow.core.execution.StepStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs the hooks of one terminal step in order, each with its timeout, and records one result per
 * hook. A hook that throws or times out is recorded as errored; the rest still run. Used by the
 * in-process executor and by the hooks-runner.
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

  /** Runs one hook for a step outcome. */
  public HookResult runOne(
      StepOutcome outcome, HookDefinition hook, Function<String, Object> resources) {
    String skipReason = skipReason(outcome, hook);
    if (skipReason != null) {
      return result(outcome, hook, HookOutcome.SKIPPED, skipReason, null);
    }
    DefaultHookContext context = context(outcome, hook, resources);
    Future<?> running = hookThreads.submit(() -> invoke(outcome, hook, context));
    try {
      running.get(hook.timeout().toMillis(), TimeUnit.MILLISECONDS);
      return result(outcome, hook, HookOutcome.COMPLETED, null, null);
    } catch (ExecutionException e) {
      return errored(outcome, hook, e.getCause());
    } catch (TimeoutException e) {
      running.cancel(true);
      return errored(
          outcome,
          hook,
          new TimeoutException("hook '" + hook.name() + "' ran longer than " + hook.timeout()));
    } catch (InterruptedException e) {
      running.cancel(true);
      Thread.currentThread().interrupt();
      return errored(outcome, hook, e);
    }
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
      StepOutcome outcome, HookDefinition hook, Function<String, Object> resources) {
    return new DefaultHookContext(
        outcome.identity(),
        hook,
        outcome.op(),
        outcome.opConfig(),
        outcome.exception(),
        outcome.error(),
        outcome.outputs(),
        new RestrictedResources(
            "hook '" + hook.name() + "'", hook.requiredResourceKeys(), resources));
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
