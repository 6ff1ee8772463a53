package io.opflow.core.plan;

import io.opflow.core.InputSource;
import io.opflow.core.execution.RunStatus;
import io.opflow.core.lifecycle.StepState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The scheduling state of one run: which steps are ready, which to skip, when the run is over.
 * Results are fenced by attempt: a result for any attempt but the current one, or for a step that
 * already ended, is refused, so duplicates and stale results change nothing. Not thread-safe; one
 * owner drives it.
 */
public final class RunProgress {
  private final ExecutionPlan plan;
  private final Map<String, StepProgress> steps;
  private boolean canceled;

  /** Starts a run with every step pending. */
  public RunProgress(ExecutionPlan plan) {
    this(plan, initial(plan), false);
  }

  private RunProgress(ExecutionPlan plan, Map<String, StepProgress> steps, boolean canceled) {
    this.plan = plan;
    this.steps = new LinkedHashMap<>(steps);
    this.canceled = canceled;
  }

  /** Restores a run from a {@link #snapshot()}. */
  public static RunProgress restore(ExecutionPlan plan, Snapshot snapshot) {
    return new RunProgress(plan, snapshot.steps(), snapshot.canceled());
  }

  private static Map<String, StepProgress> initial(ExecutionPlan plan) {
    Map<String, StepProgress> steps = new LinkedHashMap<>();
    plan.steps().forEach(step -> steps.put(step.stepKey(), StepProgress.pending()));
    return steps;
  }

  /**
   * The persistent form of a run's progress.
   *
   * @param steps each step's progress
   * @param canceled whether cancel was requested
   */
  public record Snapshot(Map<String, StepProgress> steps, boolean canceled) {
    /** Copies the map, keeping plan order. */
    public Snapshot {
      steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
    }
  }

  /** Returns the persistent form of this progress. */
  public Snapshot snapshot() {
    return new Snapshot(steps, canceled);
  }

  /** Returns the plan. */
  public ExecutionPlan plan() {
    return plan;
  }

  /** Returns a step's progress. */
  public StepProgress step(String stepKey) {
    plan.step(stepKey);
    return steps.get(stepKey);
  }

  /**
   * A scheduling decision: steps to start now, and steps that will never run with the reason.
   *
   * @param ready step keys whose inputs are all available, in plan order
   * @param skipped step keys skipped now, with the reason
   */
  public record Advance(List<String> ready, Map<String, String> skipped) {}

  /**
   * Skips every pending step that can no longer run and returns the pending steps whose upstream
   * steps all succeeded. Does not change the ready steps; call {@link #queue(String)} for each.
   */
  public Advance advance() {
    Map<String, String> skipped = new LinkedHashMap<>();
    List<String> ready = new ArrayList<>();
    for (PlannedStep step : plan.steps()) {
      if (steps.get(step.stepKey()).state() != StepState.PENDING) {
        continue;
      }
      Optional<String> skipReason = canceled ? Optional.empty() : skipReason(step);
      if (skipReason.isPresent()) {
        set(step.stepKey(), steps.get(step.stepKey()).moveTo(StepState.SKIPPED));
        skipped.put(step.stepKey(), skipReason.get());
      } else if (!canceled && upstreamSucceeded(step)) {
        ready.add(step.stepKey());
      }
    }
    return new Advance(ready, skipped);
  }

  private Optional<String> skipReason(PlannedStep step) {
    for (InputSource source : step.inputs().values()) {
      StepProgress upstream = steps.get(source.node());
      switch (upstream.state()) {
        case FAILED -> {
          return Optional.of("upstream step '" + source.node() + "' failed");
        }
        case SKIPPED, CANCELED -> {
          return Optional.of("upstream step '" + source.node() + "' did not run");
        }
        case SUCCEEDED -> {
          if (!upstream.producedOutputs().contains(source.output())) {
            return Optional.of("output '" + source + "' was not produced");
          }
        }
        default -> {}
      }
    }
    return Optional.empty();
  }

  private boolean upstreamSucceeded(PlannedStep step) {
    return step.upstream().stream().allMatch(key -> steps.get(key).state() == StepState.SUCCEEDED);
  }

  /**
   * Issues the next attempt of a pending or up-for-retry step and returns its number.
   *
   * @throws io.opflow.core.lifecycle.IllegalTransitionException if the step is in another state
   */
  public int queue(String stepKey) {
    StepProgress current = step(stepKey);
    StepProgress queued =
        new StepProgress(current.state().moveTo(StepState.QUEUED), current.attempt() + 1, Set.of());
    set(stepKey, queued);
    return queued.attempt();
  }

  /** Records that the current attempt started; returns false if the attempt is not current. */
  public boolean started(String stepKey, int attempt) {
    return accept(stepKey, attempt, StepState.RUNNING, Set.of());
  }

  /** Records a success; returns false for a stale or duplicate result, which changes nothing. */
  public boolean succeeded(String stepKey, int attempt, Set<String> producedOutputs) {
    return accept(stepKey, attempt, StepState.SUCCEEDED, producedOutputs);
  }

  /**
   * What a failure leads to.
   *
   * @param accepted false for a stale or duplicate result, which changed nothing
   * @param retry whether another attempt follows
   * @param delay the delay before it
   */
  public record FailureDecision(boolean accepted, boolean retry, Duration delay) {}

  /**
   * Records a failure. A retriable error with retries left puts the step up for retry; otherwise
   * the step has failed for good.
   */
  public FailureDecision failed(String stepKey, int attempt, boolean retriable) {
    PlannedStep planned = plan.step(stepKey);
    boolean retry = !canceled && retriable && planned.retryPolicy().allowsAnotherAttempt(attempt);
    StepState next = retry ? StepState.UP_FOR_RETRY : StepState.FAILED;
    if (!accept(stepKey, attempt, next, Set.of())) {
      return new FailureDecision(false, false, Duration.ZERO);
    }
    Duration delay = retry ? planned.retryPolicy().delayBeforeRetry(attempt) : Duration.ZERO;
    return new FailureDecision(true, retry, delay);
  }

  private boolean accept(String stepKey, int attempt, StepState next, Set<String> outputs) {
    StepProgress current = step(stepKey);
    if (current.attempt() != attempt || !current.state().canMoveTo(next)) {
      return false;
    }
    set(stepKey, new StepProgress(next, attempt, outputs));
    return true;
  }

  /**
   * Requests cancel: pending and up-for-retry steps are canceled now; queued and running steps are
   * canceled as their results arrive or by {@link #cancelInFlight()}.
   *
   * @return the steps canceled now
   */
  public List<String> cancel() {
    canceled = true;
    List<String> canceledNow = new ArrayList<>();
    steps.forEach(
        (key, progress) -> {
          if (progress.state() == StepState.PENDING || progress.state() == StepState.UP_FOR_RETRY) {
            canceledNow.add(key);
          }
        });
    canceledNow.forEach(key -> set(key, steps.get(key).moveTo(StepState.CANCELED)));
    return canceledNow;
  }

  /** Cancels the steps still queued or running; returns them. */
  public List<String> cancelInFlight() {
    List<String> inFlight = inFlight();
    inFlight.forEach(key -> set(key, steps.get(key).moveTo(StepState.CANCELED)));
    return inFlight;
  }

  /** Returns the steps queued or running. */
  public List<String> inFlight() {
    List<String> inFlight = new ArrayList<>();
    steps.forEach(
        (key, progress) -> {
          if (progress.state() == StepState.QUEUED || progress.state() == StepState.RUNNING) {
            inFlight.add(key);
          }
        });
    return inFlight;
  }

  /** Returns whether cancel was requested. */
  public boolean isCanceled() {
    return canceled;
  }

  /** Returns whether every step has ended. */
  public boolean isFinished() {
    return steps.values().stream().allMatch(progress -> progress.state().isTerminal());
  }

  /** Returns the failed steps, in plan order. */
  public List<String> failedSteps() {
    return steps.entrySet().stream()
        .filter(entry -> entry.getValue().state() == StepState.FAILED)
        .map(Map.Entry::getKey)
        .toList();
  }

  /** Returns how the run ended; meaningful once {@link #isFinished()}. */
  public RunStatus status() {
    if (canceled) {
      return RunStatus.CANCELED;
    }
    return failedSteps().isEmpty() ? RunStatus.SUCCEEDED : RunStatus.FAILED;
  }

  private void set(String stepKey, StepProgress progress) {
    steps.put(stepKey, progress);
  }
}
