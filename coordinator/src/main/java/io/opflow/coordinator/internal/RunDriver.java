package io.opflow.coordinator.internal;

import io.opflow.core.ErrorInfo;
import io.opflow.core.execution.RunStatus;
import io.opflow.core.lifecycle.StepState;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a run forward: issues the steps whose inputs are ready, skips the steps that can no longer
 * run, and ends the run with exactly one terminal run event once every step has ended. Works from
 * the step that changed outwards through the successor index, so its cost grows with the fan-out of
 * that step, not with the run. The one place every command goes through to save a run.
 */
final class RunDriver {
  private static final Logger LOG = LoggerFactory.getLogger(RunDriver.class);

  private final RunStore store;
  private final Outbox out;
  private final CoordinatorMetrics metrics;
  private final Limits limits;
  private final long leaseMillis;
  private final long startTimeoutMillis;
  private final LeaseTable leases;
  private final DueQueue startDeadlines;
  private final TaskPlacement placement;

  RunDriver(
      RunStore store,
      Outbox out,
      CoordinatorMetrics metrics,
      TimeSettings timing,
      Limits limits,
      LeaseTable leases,
      DueQueue startDeadlines,
      TaskPlacement placement) {
    this.store = store;
    this.out = out;
    this.metrics = metrics;
    this.limits = limits;
    this.leaseMillis = timing.leaseMillis();
    this.startTimeoutMillis = timing.startTimeoutMillis();
    this.leases = leases;
    this.startDeadlines = startDeadlines;
    this.placement = placement;
  }

  /**
   * Starts a new run: counts the steps it reuses from a parent run as succeeded with their outputs,
   * issues the other steps that read no input and those whose every upstream step is reused, then
   * saves it (or ends it, when every step was reused).
   */
  void start(ActiveRun run, ReusedSteps reused) {
    reused.outputs().forEach((stepKey, outputs) -> reuse(run, stepKey, outputs));
    run.plan().roots().stream()
        .filter(step -> !reused.contains(step))
        .forEach(step -> issue(run, step));
    reused.stepKeys().forEach(step -> stepEnded(run, step));
    saveOrEnd(run);
  }

  private void reuse(ActiveRun run, String stepKey, Map<String, String> outputs) {
    boolean kept = keepOutputs(run, stepKey, outputs);
    run.update(stepKey, StepRecord.reused(List.copyOf(outputs.keySet()), kept));
  }

  /**
   * Stores a succeeded step's outputs for the steps that read them, unless they are over the inline
   * limit; returns whether they were kept. Steps that read outputs not kept fail, saying why. A
   * step that no other step follows has its outputs in its success event only: nothing here reads
   * them.
   */
  boolean keepOutputs(ActiveRun run, String stepKey, Map<String, String> outputs) {
    if (run.plan().successors(stepKey).isEmpty()) {
      return true;
    }
    boolean keep = Limits.sizeOf(outputs) <= limits.maxInlineBytes();
    if (keep && !outputs.isEmpty()) {
      store.saveOutputs(run.runId(), stepKey, outputs);
    } else if (!keep) {
      LOG.warn(
          "Run {}: outputs of step {} are over {} bytes; steps reading them will fail",
          run.runId(),
          stepKey,
          limits.maxInlineBytes());
    }
    return keep;
  }

  /**
   * Reacts to a step that ended: each pending successor is skipped if it can no longer run, or
   * issued once all its upstream steps succeeded; skips propagate downstream.
   */
  void stepEnded(ActiveRun run, String stepKey) {
    Deque<String> ended = new ArrayDeque<>();
    ended.add(stepKey);
    while (!ended.isEmpty()) {
      for (String successor : run.plan().successors(ended.poll())) {
        if (run.step(successor).state() != StepState.PENDING || run.summary().canceled()) {
          continue;
        }
        Optional<String> skipReason = skipReason(run, successor);
        if (skipReason.isPresent()) {
          skip(run, successor, skipReason.get());
          ended.add(successor);
        } else if (upstreamSucceeded(run, successor)) {
          issue(run, successor);
        }
      }
    }
  }

  private Optional<String> skipReason(ActiveRun run, String stepKey) {
    for (StepSpec.Binding input : run.plan().spec(stepKey).inputs().values()) {
      StepRecord upstream = run.step(input.step());
      switch (upstream.state()) {
        case FAILED -> {
          return Optional.of("upstream step '" + input.step() + "' failed");
        }
        case SKIPPED, CANCELED -> {
          return Optional.of("upstream step '" + input.step() + "' did not run");
        }
        case SUCCEEDED -> {
          if (!upstream.outputs().contains(input.output())) {
            return Optional.of(
                "output '" + input.step() + "." + input.output() + "' was not produced");
          }
        }
        default -> {}
      }
    }
    return Optional.empty();
  }

  private static boolean upstreamSucceeded(ActiveRun run, String stepKey) {
    return run.plan().upstream(stepKey).stream()
        .allMatch(step -> run.step(step).state() == StepState.SUCCEEDED);
  }

  /** Queues the next attempt of a pending or up-for-retry step and publishes its task. */
  void issue(ActiveRun run, String stepKey) {
    queueAndPublish(
        run,
        stepKey,
        (previous, now, partition) -> previous.queued(previous.attempt() + 1, now, partition));
  }

  /**
   * Publishes a task for the current attempt of a chained step that no worker announced: the worker
   * that was to start it declined (the success it chains from was written too late) or died before
   * saying so. The attempt keeps its number, so it counts against no retry policy, and no failure
   * event or hook fires for an attempt that never said it ran.
   */
  void reissueUnannounced(ActiveRun run, String stepKey) {
    queueAndPublish(run, stepKey, (previous, now, partition) -> previous.requeued(now, partition));
  }

  /** How a step's record becomes queued for the task about to be published. */
  private interface Queuing {
    StepRecord queue(StepRecord previous, long now, int partition);
  }

  private void queueAndPublish(ActiveRun run, String stepKey, Queuing queuing) {
    long now = now();
    int partition =
        placement.choose(
            CoordinatorTopology.taskKey(run.runId(), stepKey), now, store.tasksInFlight());
    StepRecord step = queuing.queue(run.step(stepKey), now, partition);
    run.update(stepKey, step);
    leases.remove(run.runId(), stepKey);
    startDeadlines.add(
        new DueQueue.Due(run.runId(), stepKey, step.attempt(), now + startTimeoutMillis));
    Optional<String> tooLarge = oversizedInput(run, stepKey);
    if (tooLarge.isPresent()) {
      failTooLarge(run, stepKey, step.attempt(), tooLarge.get());
      return;
    }
    Map<String, String> inputs = inputsOf(run, stepKey);
    long size = Limits.sizeOf(inputs) + run.plan().runConfigBytes();
    if (size > limits.maxInlineBytes()) {
      failTooLarge(run, stepKey, step.attempt(), tooLarge(stepKey, size));
      return;
    }
    List<StepSpec> chain = run.plan().chainAfter(stepKey, limits.maxChainSteps());
    out.task(
        CoordinatorRecords.task(
            run.plan(), stepKey, step.attempt(), inputs, leaseMillis, now, chain),
        partition);
    metrics.stepIssued(run.plan().jobName(), run.plan().opName(stepKey));
    LOG.debug("Run {}: issued step {} attempt {}", run.runId(), stepKey, step.attempt());
  }

  /**
   * Records that the worker which ran {@code upstreamKey} started {@code stepKey}, the next step of
   * its task's chain, as attempt 1: the step is running on that worker, under a lease counted from
   * now, and no task is issued for it. Called when the upstream step's success is accepted, which
   * announces the chained start; the step is pending then, as it reads from that step alone.
   */
  void startChained(ActiveRun run, String upstreamKey, String stepKey) {
    StepRecord upstream = run.step(upstreamKey);
    if (!run.plan().successors(upstreamKey).contains(stepKey)
        || run.step(stepKey).state() != StepState.PENDING) {
      LOG.warn(
          "Run {}: step {} announced chained step {}, which is not its pending successor; ignored",
          run.runId(),
          upstreamKey,
          stepKey);
      return;
    }
    long now = now();
    int partition = upstream.taskPartition();
    StepRecord step = run.step(stepKey).queued(1, now, partition).running(upstream.workerId());
    run.update(stepKey, step);
    leases.expectChained(
        run.runId(), stepKey, partition, upstream.workerId(), now, now + leaseMillis);
    metrics.stepChained(run.plan().jobName(), run.plan().opName(stepKey));
    LOG.debug("Run {}: step {} attempt 1 chained after {}", run.runId(), stepKey, upstreamKey);
  }

  // An upstream step whose outputs were over the limit succeeded, but its outputs were not kept:
  // a step reading them fails, saying which.
  private Optional<String> oversizedInput(ActiveRun run, String stepKey) {
    for (StepSpec.Binding from : run.plan().spec(stepKey).inputs().values()) {
      StepRecord upstream = run.step(from.step());
      if (!upstream.outputsKept()) {
        return Optional.of(
            "step '"
                + stepKey
                + "' reads output '"
                + from.step()
                + "."
                + from.output()
                + "', but the outputs of step '"
                + from.step()
                + "' were over "
                + limits.maxInlineBytes()
                + " bytes and could not be passed on ("
                + Limits.SETTING
                + "); pass large values by reference (a path or URL to where they are stored)");
      }
    }
    return Optional.empty();
  }

  private String tooLarge(String stepKey, long size) {
    return "the inputs of step '"
        + stepKey
        + "' and the run config take "
        + size
        + " bytes, over the "
        + limits.maxInlineBytes()
        + " bytes a step task may carry ("
        + Limits.SETTING
        + "); pass large values by reference (a path or URL to where they are stored)";
  }

  // Inputs are the stored outputs of upstream steps; a step is issued only once every upstream
  // step succeeded and produced the outputs it reads.
  private Map<String, String> inputsOf(ActiveRun run, String stepKey) {
    Map<String, String> inputs = new LinkedHashMap<>();
    Map<String, Map<String, String>> byStep = new LinkedHashMap<>();
    run.plan()
        .spec(stepKey)
        .inputs()
        .forEach(
            (name, from) -> {
              Map<String, String> outputs =
                  byStep.computeIfAbsent(from.step(), step -> store.outputs(run.runId(), step));
              inputs.put(name, outputs.get(from.output()));
            });
    return inputs;
  }

  /**
   * Fails an attempt that never ran (its task would carry more than the inline limit) and publishes
   * the failure, so watchers and failure hooks see it like any other.
   */
  private void failTooLarge(ActiveRun run, String stepKey, int attempt, String message) {
    ErrorInfo error = CoordinatorRecords.outputTooLarge(message);
    String summary = error.summary();
    run.update(stepKey, run.step(stepKey).failed(summary, StepState.FAILED, 0));
    out.stepEvent(CoordinatorRecords.failed(run.plan(), stepKey, attempt, error, 0, now()));
    LOG.warn("Run {}: step {} failed before it ran: {}", run.runId(), stepKey, summary);
    stepEnded(run, stepKey);
  }

  /** Skips a pending step and publishes why. */
  void skip(ActiveRun run, String stepKey, String reason) {
    skip(run, stepKey, reason, StepState.SKIPPED);
  }

  /**
   * Ends a step that is not running in {@code state} (skipped, or canceled with its run) and
   * publishes a StepSkipped saying why.
   */
  void skip(ActiveRun run, String stepKey, String reason, StepState state) {
    StepRecord step = run.step(stepKey);
    run.update(stepKey, step.moveTo(state));
    out.stepEvent(CoordinatorRecords.skipped(run.plan(), stepKey, step.attempt(), reason, now()));
  }

  /** Saves the run, or ends it if every step has ended. */
  void saveOrEnd(ActiveRun run) {
    if (run.isFinished()) {
      end(run);
    } else {
      run.save();
    }
  }

  private void end(ActiveRun run) {
    RunSummary summary = run.summary();
    RunStatus status = status(summary);
    long now = now();
    PlanIndex plan = run.plan();
    publishEnd(plan, summary, status, now);
    store.finish(plan, new FinishedRun(plan.runId(), plan.jobName(), status, now, null));
    metrics.runEnded(plan.jobName(), status);
    LOG.info("Run {} of job {} ended: {}", plan.runId(), plan.jobName(), status);
  }

  private static RunStatus status(RunSummary summary) {
    if (summary.canceled()) {
      return RunStatus.CANCELED;
    }
    return summary.failures().isEmpty() ? RunStatus.SUCCEEDED : RunStatus.FAILED;
  }

  private void publishEnd(PlanIndex plan, RunSummary summary, RunStatus status, long now) {
    String runId = plan.runId();
    switch (status) {
      case SUCCEEDED ->
          out.runEvent(
              CoordinatorRecords.succeeded(
                  runId, plan.jobName(), now - plan.plan().startedAt(), now));
      case CANCELED ->
          out.runEvent(
              CoordinatorRecords.canceled(runId, plan.jobName(), summary.cancelReason(), now));
      case FAILED -> publishFailure(plan, summary, now);
    }
  }

  private void publishFailure(PlanIndex plan, RunSummary summary, long now) {
    List<String> failed = plan.stepKeys().stream().filter(summary.failures()::containsKey).toList();
    String details =
        failed.stream()
            .map(step -> "step '" + step + "' failed: " + summary.failures().get(step))
            .collect(Collectors.joining("; "));
    String message = Limits.truncate(failed.size() + " step(s) failed: " + details);
    out.runEvent(CoordinatorRecords.failed(plan.runId(), plan.jobName(), failed, message, now));
  }

  private long now() {
    return out.now();
  }
}
