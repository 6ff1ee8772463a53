package io.opflow.ui.internal;

import io.opflow.events.ErrorInfo;
import io.opflow.events.HookErrored;
import io.opflow.events.HookEvent;
import io.opflow.events.HookSkipped;
import io.opflow.events.RunCanceled;
import io.opflow.events.RunEvent;
import io.opflow.events.RunFailed;
import io.opflow.events.RunStarted;
import io.opflow.events.RunSucceeded;
import io.opflow.events.StackFrameInfo;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepHeartbeat;
import io.opflow.events.StepSkipped;
import io.opflow.events.StepStarted;
import io.opflow.events.StepSucceeded;
import io.opflow.events.StepUpForRetry;
import io.opflow.protocol.InputBinding;
import io.opflow.protocol.NodeSnapshot;
import io.opflow.protocol.ReexecutionOf;
import io.opflow.protocol.ReusedStep;
import io.opflow.protocol.RunRequested;
import io.opflow.ui.internal.RunView.AttemptView;
import io.opflow.ui.internal.RunView.EventLine;
import io.opflow.ui.internal.RunView.HookView;
import io.opflow.ui.internal.RunView.InputView;
import io.opflow.ui.internal.RunView.StepView;
import java.io.IOException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Every run the UI knows, folded from the run, step and hook events, in memory and bounded: past
 * {@code maxRuns} the runs that ended longest ago are forgotten first. Thread-safe: the event feed
 * applies events, pages read through {@link #read}.
 */
public final class RunsView {
  /** Longest output value kept per attempt, in characters. */
  static final int MAX_OUTPUT_CHARS = 2000;

  private final int maxRuns;
  private final Map<String, RunView> runs = new HashMap<>();
  private final Map<String, Long> workersSeen = new HashMap<>();

  /**
   * Creates an empty view.
   *
   * @param maxRuns how many runs to keep at most
   */
  public RunsView(int maxRuns) {
    if (maxRuns < 1) {
      throw new IllegalArgumentException("maxRuns must be at least 1, got " + maxRuns);
    }
    this.maxRuns = maxRuns;
  }

  /** Folds in a run event. */
  public synchronized void apply(RunEvent event) {
    RunView run = run(event.getRunId());
    run.jobName = event.getJobName();
    long at = event.getTimestamp().toEpochMilli();
    Object payload = event.getPayload();
    String detail = "";
    if (payload instanceof RunStarted started) {
      run.startedAt = at;
      if (started.getParentRunId() != null) {
        run.parentRunId = started.getParentRunId();
      }
    } else {
      run.endedAt = at;
      if (payload instanceof RunSucceeded) {
        run.status = "SUCCEEDED";
      } else if (payload instanceof RunFailed failed) {
        run.status = "FAILED";
        detail = failed.getMessage();
      } else if (payload instanceof RunCanceled canceled) {
        run.status = "CANCELED";
        detail = canceled.getReason();
      }
      run.message = detail;
    }
    run.log(new EventLine(at, "run", "", 0, name(payload), detail));
    evictIfFull();
  }

  // A reused step does not run in this run: it shows as REUSED, with the parent's outputs under
  // attempt 0, and no step event of this run will change it.
  private static void applyReexecution(RunView run, ReexecutionOf reexecution) {
    run.parentRunId = reexecution.getParentRunId();
    for (ReusedStep reused : reexecution.getReusedSteps()) {
      StepView step = run.step(reused.getStepKey());
      step.status = "REUSED";
      AttemptView attempt = step.attempt(0);
      attempt.status = "REUSED";
      attempt.outputs.putAll(reused.getOutputsJson());
    }
  }

  /**
   * Folds in a run request: the job's graph (every step, pending until it runs), each step's inputs
   * and its config as submitted.
   */
  public synchronized void apply(RunRequested request) {
    RunView run = run(request.getRunId());
    run.jobName = request.getJobName();
    if (run.startedAt <= 0) {
      run.startedAt = request.getRequestedAt().toEpochMilli();
    }
    for (NodeSnapshot node : request.getJob().getNodes()) {
      StepView step = run.step(node.getStepKey());
      step.opName = node.getOpName();
      run.upstream.put(
          node.getStepKey(),
          node.getUpstream().stream().map(InputBinding::getFromStepKey).distinct().toList());
      run.inputs.put(
          node.getStepKey(),
          node.getUpstream().stream()
              .map(b -> new InputView(b.getInputName(), b.getFromStepKey(), b.getFromOutput()))
              .toList());
    }
    run.configs.putAll(StepConfigs.of(request.getRunConfigJson()));
    if (request.getReexecution() != null) {
      applyReexecution(run, request.getReexecution());
    }
    evictIfFull();
  }

  /** Folds in a step event; heartbeats change nothing but the attempt's worker. */
  public synchronized void apply(StepEvent event) {
    RunView run = run(event.getRunId());
    if (run.jobName.isEmpty()) {
      run.jobName = event.getJobName();
    }
    StepView step = run.step(event.getStepKey());
    step.opName = event.getOpName();
    AttemptView attempt = step.attempt(event.getAttempt());
    long at = event.getTimestamp().toEpochMilli();
    Object payload = event.getPayload();
    if (payload instanceof StepHeartbeat beat) {
      attempt.worker = beat.getWorkerId();
      workersSeen.merge(beat.getWorkerId(), at, Math::max);
      return; // not logged: one every second of every running step
    }
    String detail = stepDetail(payload);
    if (payload instanceof StepStarted started) {
      attempt.worker = started.getWorkerId();
      workersSeen.merge(started.getWorkerId(), at, Math::max);
      attempt.startedAt = at;
      attempt.status = "RUNNING";
    } else {
      attempt.endedAt = at;
      attempt.status = stepStatus(payload);
      ErrorInfo error = error(payload);
      if (error != null) {
        attempt.errorType = error.getType();
        attempt.errorMessage = error.getMessage() == null ? "" : error.getMessage();
        attempt.stackTrace = stackTrace(error);
      }
      if (payload instanceof StepSucceeded succeeded) {
        keepOutputs(attempt, succeeded.getOutputsJson());
      } else if (payload instanceof StepFailed failed && failed.getPartialOutputsJson() != null) {
        keepOutputs(attempt, failed.getPartialOutputsJson());
      }
    }
    step.status = step.attempts.lastEntry().getValue().status;
    run.log(
        new EventLine(at, "step", event.getStepKey(), event.getAttempt(), name(payload), detail));
  }

  /** Folds in a hook event. */
  public synchronized void apply(HookEvent event) {
    RunView run = run(event.getRunId());
    Object payload = event.getPayload();
    String status =
        payload instanceof HookSkipped
            ? "SKIPPED"
            : payload instanceof HookErrored ? "ERRORED" : "COMPLETED";
    String detail =
        payload instanceof HookSkipped skipped
            ? skipped.getReason()
            : payload instanceof HookErrored errored ? message(errored.getError()) : "";
    HookView hook =
        new HookView(
            event.getRunSensor() ? "(run sensor)" : event.getStepKey(),
            event.getHookName(),
            event.getHookKind().name(),
            event.getAttempt(),
            status,
            detail,
            event.getIdempotencyKey());
    run.step(event.getStepKey()).hooks.add(hook);
    run.log(
        new EventLine(
            event.getTimestamp().toEpochMilli(),
            "hook",
            event.getStepKey(),
            event.getAttempt(),
            event.getHookName() + " " + status,
            detail));
  }

  /**
   * Reads the view under its lock.
   *
   * @param reader what to do with it
   * @return what the reader returned
   */
  public synchronized <T> T read(Function<Snapshot, T> reader) {
    return reader.apply(new Snapshot());
  }

  /** A read of the view, valid while its reader runs. */
  public final class Snapshot {
    private Snapshot() {}

    /** Returns a run, if known. */
    Optional<RunView> run(String runId) {
      return Optional.ofNullable(runs.get(runId));
    }

    /** Returns the runs that match, newest first, at most {@code limit}. */
    List<RunView> runs(RunFilter filter, int limit) {
      return runs.values().stream()
          .filter(filter::matches)
          .sorted(Comparator.comparingLong((RunView r) -> r.startedAt).reversed())
          .limit(limit)
          .toList();
    }

    /** Returns how many runs the filter matches. */
    long count(RunFilter filter) {
      return runs.values().stream().filter(filter::matches).count();
    }

    /** Returns how many runs have each status. */
    Map<String, Long> countsByStatus() {
      Map<String, Long> counts = new TreeMap<>();
      runs.values().forEach(r -> counts.merge(r.status, 1L, Long::sum));
      return counts;
    }

    /** Returns the job names of the runs known. */
    SortedSet<String> jobs() {
      TreeSet<String> jobs = new TreeSet<>();
      runs.values().forEach(r -> jobs.add(r.jobName));
      return jobs;
    }

    /**
     * Returns the workers seen starting or heartbeating a step, the most recently seen first, with
     * when and the attempts each runs now.
     */
    List<WorkerSeen> workers() {
      Map<String, List<String>> running = new HashMap<>();
      for (RunView run : runs.values()) {
        if (run.ended()) {
          continue;
        }
        for (StepView step : run.steps.values()) {
          if (!step.attempts.isEmpty()) {
            AttemptView last = step.attempts.lastEntry().getValue();
            if (last.status.equals("RUNNING") && !last.worker.isEmpty()) {
              running
                  .computeIfAbsent(last.worker, w -> new java.util.ArrayList<>())
                  .add(run.runId + "/" + step.stepKey + "#" + last.attempt);
            }
          }
        }
      }
      return workersSeen.entrySet().stream()
          .map(
              e ->
                  new WorkerSeen(
                      e.getKey(), e.getValue(), running.getOrDefault(e.getKey(), List.of())))
          .sorted(Comparator.comparingLong(WorkerSeen::lastSeen).reversed())
          .toList();
    }

    /** Returns every hook outcome of the runs known, errored first, then newest first. */
    List<Map.Entry<RunView, HookView>> hooks(int limit) {
      return runs.values().stream()
          .flatMap(
              r ->
                  r.steps.values().stream()
                      .flatMap(s -> s.hooks.stream())
                      .map(h -> Map.entry(r, h)))
          .sorted(
              Comparator.comparing(
                      (Map.Entry<RunView, HookView> e) -> !e.getValue().status().equals("ERRORED"))
                  .thenComparing(e -> -e.getKey().startedAt))
          .limit(limit)
          .toList();
    }
  }

  /** Returns how many runs the view holds. */
  public synchronized int size() {
    return runs.size();
  }

  /**
   * Hands every run and the workers seen to {@code writer} under the view's lock, so that no event
   * is folded in while a snapshot is taken.
   */
  synchronized void writeTo(ViewSnapshotCodec.ViewWriter writer) throws IOException {
    writer.write(runs.values(), workersSeen);
  }

  /**
   * Replaces what the view holds with runs restored from a snapshot, forgetting the oldest if there
   * are more than it keeps.
   */
  synchronized void restore(Collection<RunView> restored, Map<String, Long> workers) {
    runs.clear();
    workersSeen.clear();
    restored.forEach(run -> runs.put(run.runId, run));
    workersSeen.putAll(workers);
    evictIfFull();
  }

  /**
   * A worker as the events show it.
   *
   * @param workerId its id
   * @param lastSeen when it last started or heartbeated a step, epoch millis
   * @param running the attempts it runs now, as {@code run/step#attempt}
   */
  record WorkerSeen(String workerId, long lastSeen, List<String> running) {}

  private RunView run(String runId) {
    return runs.computeIfAbsent(runId, RunView::new);
  }

  // Forgets the run that ended longest ago (or, failing that, started longest ago).
  private void evictIfFull() {
    while (runs.size() > maxRuns) {
      runs.values().stream()
          .min(
              Comparator.comparing((RunView r) -> !r.ended())
                  .thenComparingLong(r -> r.ended() ? r.endedAt : r.startedAt))
          .ifPresent(r -> runs.remove(r.runId));
    }
  }

  private static void keepOutputs(AttemptView attempt, Map<String, String> outputs) {
    outputs.forEach(
        (name, json) ->
            attempt.outputs.put(
                name,
                json.length() <= MAX_OUTPUT_CHARS
                    ? json
                    : json.substring(0, MAX_OUTPUT_CHARS)
                        + " ... ("
                        + json.length()
                        + " characters)"));
  }

  private static String stepStatus(Object payload) {
    if (payload instanceof StepSucceeded) {
      return "SUCCEEDED";
    } else if (payload instanceof StepFailed) {
      return "FAILED";
    } else if (payload instanceof StepSkipped) {
      return "SKIPPED";
    }
    return "UP_FOR_RETRY";
  }

  private static String stepDetail(Object payload) {
    if (payload instanceof StepStarted started) {
      return "on " + started.getWorkerId();
    } else if (payload instanceof StepSkipped skipped) {
      return skipped.getReason();
    } else if (payload instanceof StepUpForRetry retry) {
      return "next attempt " + retry.getNextAttempt() + " after " + message(retry.getError());
    }
    ErrorInfo error = error(payload);
    return error == null ? "" : message(error);
  }

  private static ErrorInfo error(Object payload) {
    if (payload instanceof StepFailed failed) {
      return failed.getError();
    } else if (payload instanceof StepUpForRetry retry) {
      return retry.getError();
    }
    return null;
  }

  private static String message(ErrorInfo error) {
    return error.getType() + (error.getMessage() == null ? "" : ": " + error.getMessage());
  }

  private static String stackTrace(ErrorInfo error) {
    StringBuilder trace = new StringBuilder();
    for (ErrorInfo e = error; e != null; e = e.getCause()) {
      if (trace.length() > 0) {
        trace.append("Caused by: ");
      }
      trace.append(message(e)).append('\n');
      for (StackFrameInfo frame : e.getStackFrames()) {
        trace
            .append("    at ")
            .append(frame.getClassName())
            .append('.')
            .append(frame.getMethodName())
            .append('(')
            .append(frame.getFileName() == null ? "Unknown Source" : frame.getFileName())
            .append(frame.getLineNumber() > 0 ? ":" + frame.getLineNumber() : "")
            .append(")\n");
      }
    }
    return trace.toString();
  }

  private static String name(Object payload) {
    return payload.getClass().getSimpleName();
  }
}
