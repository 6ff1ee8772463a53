package io.opflow.core.internal;

import io.opflow.core.ErrorInfo;
import io.opflow.core.HookDefinition;
import io.opflow.core.InputSource;
import io.opflow.core.JobDefinition;
import io.opflow.core.NextAttempt;
import io.opflow.core.OpDefinition;
import io.opflow.core.OpNode;
import io.opflow.core.OpflowException;
import io.opflow.core.config.RunConfig;
import io.opflow.core.execution.ExecuteOptions;
import io.opflow.core.execution.ExecutionEvent;
import io.opflow.core.execution.ExecutionResult;
import io.opflow.core.execution.HookResult;
import io.opflow.core.execution.RunStatus;
import io.opflow.core.execution.StepResult;
import io.opflow.core.execution.StepStatus;
import io.opflow.core.lifecycle.StepState;
import io.opflow.core.plan.ExecutionPlan;
import io.opflow.core.plan.RunProgress;
import io.opflow.core.plan.StepProgress;
import io.opflow.core.spi.HookExecution;
import io.opflow.core.spi.LogContext;
import io.opflow.core.spi.RunResources;
import io.opflow.core.spi.StepAttempt;
import io.opflow.core.spi.StepIdentity;
import io.opflow.core.spi.StepOutcome;
import io.opflow.core.spi.StepRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * One run executed in this process. A single loop thread owns the {@link RunProgress}; step
 * attempts run on a bounded pool and report back through a queue; retries wait on a timer.
 */
public final class InProcessRun {
  private final JobDefinition job;
  private final RunConfig config;
  private final ExecuteOptions options;
  private final RunProgress progress;
  private final List<ExecutionEvent> events = Collections.synchronizedList(new ArrayList<>());
  private final List<HookResult> hookResults = new ArrayList<>();
  private final Map<String, StepOutcome> lastOutcomes = new ConcurrentHashMap<>();
  private final BlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
  private final RunResources resources;
  private final ExecutorService stepThreads;
  private final ExecutorService hookThreads = Executors.newCachedThreadPool(daemon("opflow-hook"));
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(daemon("opflow-retry-timer"));

  /** Prepares a run of a job with an already validated, merged config. */
  public InProcessRun(JobDefinition job, RunConfig config, ExecuteOptions options) {
    this.job = job;
    this.config = config;
    this.options = options;
    this.progress = new RunProgress(ExecutionPlan.of(job));
    this.resources =
        new RunResources(options.runId(), job.resources(), config, options.environment());
    this.stepThreads =
        Executors.newFixedThreadPool(options.maxConcurrency(), daemon("opflow-step"));
  }

  /** Runs every step to the end and returns the result. */
  public ExecutionResult execute() {
    Instant start = Instant.now();
    events.add(new ExecutionEvent.RunStarted(options.runId(), job.name(), start));
    try (LogContext ignored = LogContext.forRun(options.runId())) {
      scheduleReadySteps();
      while (!progress.isFinished()) {
        inbox.take().run();
        scheduleReadySteps();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OpflowException("interrupted while running job '" + job.name() + "'", e);
    } finally {
      stepThreads.shutdownNow();
      timer.shutdownNow();
      hookThreads.shutdownNow();
      resources.close();
    }
    events.add(terminalEvent(Duration.between(start, Instant.now())));
    return new ExecutionResult(
        options.runId(), job.name(), progress.status(), stepResults(), hookResults, events);
  }

  private void scheduleReadySteps() {
    RunProgress.Advance advance = progress.advance();
    advance.skipped().forEach(this::skip);
    advance.ready().forEach(this::startAttempt);
  }

  private void skip(String stepKey, String reason) {
    events.add(new ExecutionEvent.StepSkipped(options.runId(), stepKey, Instant.now(), reason));
    OpNode node = job.node(stepKey);
    StepIdentity id = new StepIdentity(job.name(), options.runId(), stepKey, 0);
    runHooks(
        new StepOutcome(id, node.op(), null, StepStatus.SKIPPED, null, null, Map.of(), reason));
  }

  private void startAttempt(String stepKey) {
    int attempt = progress.queue(stepKey);
    StepIdentity id = new StepIdentity(job.name(), options.runId(), stepKey, attempt);
    stepThreads.execute(
        () -> {
          events.add(new ExecutionEvent.StepStarted(id.runId(), stepKey, attempt, Instant.now()));
          OpDefinition<?> op = job.node(stepKey).op();
          StepAttempt result =
              StepRunner.run(
                  id,
                  op,
                  config,
                  inputsOf(stepKey),
                  resources::get,
                  options.environment(),
                  StepRunner.timeoutOf(op, config, stepKey));
          inbox.add(() -> finish(result));
        });
  }

  private Map<String, Object> inputsOf(String stepKey) {
    Map<String, Object> inputs = new LinkedHashMap<>();
    for (Map.Entry<String, InputSource> input : job.node(stepKey).inputs().entrySet()) {
      InputSource source = input.getValue();
      inputs.put(input.getKey(), lastOutcomes.get(source.node()).outputs().get(source.output()));
    }
    return inputs;
  }

  private void finish(StepAttempt attempt) {
    StepOutcome outcome = attempt.outcome();
    StepIdentity id = outcome.identity();
    lastOutcomes.put(id.stepKey(), outcome);
    if (outcome.status() == StepStatus.SUCCEEDED) {
      progress.succeeded(id.stepKey(), id.attempt(), outcome.outputs().keySet());
      events.add(
          new ExecutionEvent.StepSucceeded(
              id.runId(),
              id.stepKey(),
              id.attempt(),
              Instant.now(),
              outcome.outputs(),
              attempt.duration()));
      runHooks(outcome);
      return;
    }
    RunProgress.FailureDecision decision =
        progress.failed(id.stepKey(), id.attempt(), outcome.error().retriable());
    if (decision.retry()) {
      events.add(
          new ExecutionEvent.StepUpForRetry(
              id.runId(),
              id.stepKey(),
              id.attempt(),
              Instant.now(),
              outcome.error(),
              id.attempt() + 1,
              decision.delay()));
      runRetryHooks(
          outcome, new NextAttempt(id.attempt() + 1, Instant.now().plus(decision.delay())));
      // Only hands the attempt to the run's inbox, which reports what goes wrong there.
      Future<?> unused =
          timer.schedule(
              () -> inbox.add(() -> startAttempt(id.stepKey())),
              decision.delay().toMillis(),
              TimeUnit.MILLISECONDS);
      return;
    }
    events.add(
        new ExecutionEvent.StepFailed(
            id.runId(),
            id.stepKey(),
            id.attempt(),
            Instant.now(),
            outcome.error(),
            outcome.outputs(),
            attempt.duration()));
    runHooks(outcome);
  }

  // Every hook of the step runs, each try of it recorded; those that do not apply are skipped.
  private void runHooks(StepOutcome outcome) {
    runHooks(outcome, job.hooksFor(outcome.identity().stepKey()));
  }

  // Only the retry hooks run for an attempt put up for retry: the others wait for the last one.
  private void runRetryHooks(StepOutcome failed, NextAttempt next) {
    StepOutcome upForRetry =
        new StepOutcome(
            failed.identity(),
            failed.op(),
            failed.opConfig(),
            failed.status(),
            failed.exception(),
            failed.error(),
            failed.outputs(),
            failed.reason(),
            next);
    List<HookDefinition> retryHooks =
        job.hooksFor(failed.identity().stepKey()).stream()
            .filter(HookDefinition::firesForRetry)
            .toList();
    runHooks(upForRetry, retryHooks);
  }

  private void runHooks(StepOutcome outcome, List<HookDefinition> hooks) {
    HookExecution execution = new HookExecution(hookThreads);
    for (HookDefinition hook : hooks) {
      Instant[] start = {Instant.now()};
      execution.runWithRetries(
          outcome,
          hook,
          resources::get,
          result -> {
            hookResults.add(result);
            events.add(HookEvents.of(options.runId(), result, start[0]));
            start[0] = Instant.now();
          });
    }
  }

  private ExecutionEvent terminalEvent(Duration duration) {
    Instant now = Instant.now();
    RunStatus status = progress.status();
    return switch (status) {
      case SUCCEEDED -> new ExecutionEvent.RunSucceeded(options.runId(), job.name(), now, duration);
      case FAILED ->
          new ExecutionEvent.RunFailed(
              options.runId(),
              job.name(),
              now,
              progress.failedSteps(),
              "steps failed: " + String.join(", ", progress.failedSteps()));
      case CANCELED -> new ExecutionEvent.RunCanceled(options.runId(), job.name(), now, "canceled");
    };
  }

  private Map<String, StepResult> stepResults() {
    Map<String, StepResult> results = new LinkedHashMap<>();
    for (var entry : progress.snapshot().steps().entrySet()) {
      StepOutcome outcome = lastOutcomes.get(entry.getKey());
      results.put(entry.getKey(), stepResult(entry.getKey(), entry.getValue(), outcome));
    }
    return results;
  }

  private static StepResult stepResult(String stepKey, StepProgress progress, StepOutcome outcome) {
    StepStatus status = statusOf(progress.state());
    Map<String, Object> outputs = outcome == null ? Map.of() : outcome.outputs();
    ErrorInfo error = status == StepStatus.FAILED && outcome != null ? outcome.error() : null;
    return new StepResult(stepKey, status, progress.attempt(), outputs, error);
  }

  private static StepStatus statusOf(StepState state) {
    return switch (state) {
      case SUCCEEDED -> StepStatus.SUCCEEDED;
      case FAILED -> StepStatus.FAILED;
      case SKIPPED -> StepStatus.SKIPPED;
      default -> StepStatus.CANCELED;
    };
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
