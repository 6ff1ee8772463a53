package io.opflow.benchmarks;

import java.util.HashMap;
import java.util.Map;

/**
 * What the {@link EventTap} saw of one run: whether it started and how it ended; for each step when
 * it started and succeeded and when its first hook completed (event timestamps in epoch
 * milliseconds, and {@link System#nanoTime()} when read); its hook events and {@code WorkerLost}
 * verdicts. Not thread-safe: the tap guards it.
 */
final class RunTrace {
  /** Times of one step: event times in epoch ms, read times in nanoTime; -1 until seen. */
  static final class StepTimes {
    long startedAt = -1;
    long startedRead = -1;
    long succeededAt = -1;
    long succeededRead = -1;
    long durationMillis = -1;
    long hookAt = -1;
    long hookRead = -1;

    StepTimes copy() {
      StepTimes c = new StepTimes();
      c.startedAt = startedAt;
      c.startedRead = startedRead;
      c.succeededAt = succeededAt;
      c.succeededRead = succeededRead;
      c.durationMillis = durationMillis;
      c.hookAt = hookAt;
      c.hookRead = hookRead;
      return c;
    }

    /**
     * Returns when the step started, epoch ms: its StepStarted event's time, or else its
     * StepSucceeded time minus the op's duration (for a step whose start rides on its terminal
     * event); -1 when neither was seen.
     */
    long startAt() {
      if (startedAt >= 0) {
        return startedAt;
      }
      return succeededAt >= 0 && durationMillis >= 0 ? succeededAt - durationMillis : -1;
    }
  }

  private final Map<String, StepTimes> steps = new HashMap<>();
  private int hooksReported;
  private int hooksCompleted;
  private int workerLostVerdicts;
  private boolean started;
  private Boolean succeeded;
  private long lastHookAt = -1;
  private long lastHookRead = -1;

  void started(String stepKey, long at, long read) {
    StepTimes t = step(stepKey);
    if (t.startedAt < 0) {
      t.startedAt = at;
      t.startedRead = read;
    }
  }

  void succeeded(String stepKey, long at, long read, long durationMillis) {
    StepTimes t = step(stepKey);
    t.succeededAt = at;
    t.succeededRead = read;
    t.durationMillis = durationMillis;
  }

  /** Records a hook event; only completed hooks count towards the hook times. */
  void hookReported(String stepKey, boolean completed, long at, long read) {
    hooksReported++;
    if (completed) {
      hooksCompleted++;
      lastHookAt = Math.max(lastHookAt, at);
      lastHookRead = Math.max(lastHookRead, read);
      StepTimes t = step(stepKey);
      if (t.hookRead < 0) {
        t.hookAt = at;
        t.hookRead = read;
      }
    }
  }

  void runStarted() {
    started = true;
  }

  /** Returns whether the run's RunStarted event was read. */
  boolean isStarted() {
    return started;
  }

  void workerLostVerdict() {
    workerLostVerdicts++;
  }

  void ended(boolean runSucceeded) {
    succeeded = runSucceeded;
  }

  /** Returns whether the run ended and at least {@code hooks} hook events were read. */
  boolean isDone(int hooks) {
    return succeeded != null && hooksReported >= hooks;
  }

  /** Returns whether the run ended with RunSucceeded. */
  boolean succeeded() {
    return Boolean.TRUE.equals(succeeded);
  }

  /** Returns how many WorkerLost verdicts the coordinator published for the run. */
  int workerLostVerdicts() {
    return workerLostVerdicts;
  }

  StepTimes step(String stepKey) {
    return steps.computeIfAbsent(stepKey, k -> new StepTimes());
  }

  /** Returns the times of every step seen, by step key. */
  Map<String, StepTimes> steps() {
    return steps;
  }

  int hooksCompleted() {
    return hooksCompleted;
  }

  /** Returns the event time of the last completed hook, epoch ms. */
  long lastHookAt() {
    return lastHookAt;
  }

  /** Returns when the last completed hook was read, nanoTime. */
  long lastHookRead() {
    return lastHookRead;
  }

  RunTrace copy() {
    RunTrace c = new RunTrace();
    steps.forEach((k, v) -> c.steps.put(k, v.copy()));
    c.hooksReported = hooksReported;
    c.hooksCompleted = hooksCompleted;
    c.workerLostVerdicts = workerLostVerdicts;
    c.started = started;
    c.succeeded = succeeded;
    c.lastHookAt = lastHookAt;
    c.lastHookRead = lastHookRead;
    return c;
  }
}
