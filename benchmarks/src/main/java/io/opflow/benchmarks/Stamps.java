package io.opflow.benchmarks;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link System#nanoTime()} stamps that the benchmark's own ops and hook take as they run, keyed by
 * run id and step key: when an op was entered, when it returned, and when its success hook's
 * handler was entered. They are precise only when the ops and the hook run in the benchmark's JVM
 * (not with {@code --processes}, where they are taken in other JVMs and never read).
 *
 * <p>A retried step keeps the stamps of its last attempt.
 */
final class Stamps {
  /** The stamps of one step; -1 until taken. */
  static final class StepStamps {
    volatile long opEntered = -1;
    volatile long opExited = -1;
    volatile long hookEntered = -1;
  }

  private static final Map<String, Map<String, StepStamps>> RUNS = new ConcurrentHashMap<>();

  private Stamps() {}

  /** Stamps an op's entry. */
  static void opEntered(String runId, String stepKey) {
    step(runId, stepKey).opEntered = System.nanoTime();
  }

  /** Stamps an op's return. */
  static void opExited(String runId, String stepKey) {
    step(runId, stepKey).opExited = System.nanoTime();
  }

  /** Stamps a success hook's entry. */
  static void hookEntered(String runId, String stepKey) {
    step(runId, stepKey).hookEntered = System.nanoTime();
  }

  private static StepStamps step(String runId, String stepKey) {
    return RUNS.computeIfAbsent(runId, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(stepKey, k -> new StepStamps());
  }

  /**
   * Returns the stamps of a run's steps so far.
   *
   * @param runId the run
   * @return step key to stamps; empty when none were taken in this JVM
   */
  static Map<String, StepStamps> of(String runId) {
    return RUNS.getOrDefault(runId, Map.of());
  }

  /** Forgets every stamp, so that memory does not grow from phase to phase. */
  static void clear() {
    RUNS.clear();
  }
}
