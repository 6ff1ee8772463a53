package io.opflow.benchmarks;

import java.util.HashMap;
import java.util.Map;

/**
 * What the {@link EventTap} saw of one run: for each step when it started and succeeded (event
 * timestamps in epoch milliseconds, and {@link System#nanoTime()} when read), and its completed
 * hooks. Not thread-safe: the tap guards it.
 */
final class RunTrace {
  /** Times of one step: event times in epoch ms, read times in nanoTime; -1 until seen. */
  static final class StepTimes {
    long startedAt = -1;
    long startedRead = -1;
    long succeededAt = -1;
    long succeededRead = -1;

    StepTimes copy() {
      StepTimes c = new StepTimes();
      c.startedAt = startedAt;
      c.startedRead = startedRead;
      c.succeededAt = succeededAt;
      c.succeededRead = succeededRead;
      return c;
    }
  }

  private final Map<String, StepTimes> steps = new HashMap<>();
  private int hooksReported;
  private int hooksCompleted;
  private int workerLostVerdicts;
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

  void succeeded(String stepKey, long at, long read) {
    StepTimes t = step(stepKey);
    t.succeededAt = at;
    t.succeededRead = read;
  }

  /** Records a hook event; only completed hooks count towards the last hook times. */
  void hookReported(boolean completed, long at, long read) {
    hooksReported++;
    if (completed) {
      hooksCompleted++;
      lastHookAt = Math.max(lastHookAt, at);
      lastHookRead = Math.max(lastHookRead, read);
    }
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
    c.succeeded = succeeded;
    c.lastHookAt = lastHookAt;
    c.lastHookRead = lastHookRead;
    return c;
  }
}
