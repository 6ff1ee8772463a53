package io.opflow.benchmarks;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Latencies of the benchmark, in microseconds.
 *
 * <p>The step-to-step hop of a chain, three ways: precisely, from the op of step {@code i}
 * returning to the op of step {@code i+1} being entered ({@link Stamps}, nanoTime in one JVM: the
 * result out of the worker, the coordinator's exactly-once transaction, the next task to a worker);
 * from the time the benchmark read StepSucceeded of step {@code i} to the time it read StepStarted
 * of step {@code i+1}; and from those events' own timestamps (millisecond resolution).
 *
 * <p>The hook latency of a step, from its terminal event appended to its hook's handler entered,
 * bounded above two ways: from the op returning to the hook's handler entered ({@link Stamps}; the
 * op returns before the worker appends the event), or from the benchmark reading StepSucceeded to
 * it reading the hook's HookCompleted (which adds the handler and the hook event's own hop).
 */
final class Hops {
  private Hops() {}

  /**
   * Adds the hops of one chain run, by read times, in microseconds.
   *
   * @param trace the run
   * @param steps how many steps the chain has
   * @param histogram where the hops go
   */
  static void addReadTimes(RunTrace trace, int steps, Histogram histogram) {
    for (int i = 0; i + 1 < steps; i++) {
      long from = trace.step(BenchmarkDefinitions.chainStep(i)).succeededRead;
      long to = trace.step(BenchmarkDefinitions.chainStep(i + 1)).startedRead;
      // A step whose StepStarted was not published (it may ride on the terminal event) has no hop.
      if (from >= 0 && to >= 0) {
        histogram.recordValue(Math.max(0, (to - from) / 1_000));
      }
    }
  }

  /**
   * Adds the precise hops of one chain run: op of step {@code i} returned to op of step {@code i+1}
   * entered, in microseconds.
   *
   * @param stamps the run's stamps, by step key
   * @param steps how many steps the chain has
   * @param histogram where the hops go
   */
  static void addStampHops(Map<String, Stamps.StepStamps> stamps, int steps, Histogram histogram) {
    for (int i = 0; i + 1 < steps; i++) {
      Stamps.StepStamps from = stamps.get(BenchmarkDefinitions.chainStep(i));
      Stamps.StepStamps to = stamps.get(BenchmarkDefinitions.chainStep(i + 1));
      if (from != null && to != null && from.opExited >= 0 && to.opEntered >= 0) {
        histogram.recordValue(Math.max(0, (to.opEntered - from.opExited) / 1_000));
      }
    }
  }

  /**
   * Adds, for every step of a run, its op returning to its hook's handler entered, in microseconds.
   *
   * @param stamps the run's stamps, by step key
   * @param histogram where the latencies go
   */
  static void addStampHookLatencies(Map<String, Stamps.StepStamps> stamps, Histogram histogram) {
    for (Stamps.StepStamps s : stamps.values()) {
      if (s.opExited >= 0 && s.hookEntered >= 0) {
        histogram.recordValue(Math.max(0, (s.hookEntered - s.opExited) / 1_000));
      }
    }
  }

  /**
   * Adds, for every step of a run, its StepSucceeded read to its first HookCompleted read, in
   * microseconds.
   *
   * @param trace the run
   * @param histogram where the latencies go
   */
  static void addReadHookLatencies(RunTrace trace, Histogram histogram) {
    for (RunTrace.StepTimes t : trace.steps().values()) {
      if (t.succeededRead >= 0 && t.hookRead >= 0) {
        histogram.recordValue(Math.max(0, (t.hookRead - t.succeededRead) / 1_000));
      }
    }
  }

  /**
   * Adds the hops of one chain run, by event timestamps (millisecond resolution), in microseconds.
   *
   * @param trace the run
   * @param steps how many steps the chain has
   * @param histogram where the hops go
   */
  static void addEventTimes(RunTrace trace, int steps, Histogram histogram) {
    for (int i = 0; i + 1 < steps; i++) {
      long from = trace.step(BenchmarkDefinitions.chainStep(i)).succeededAt;
      long to = trace.step(BenchmarkDefinitions.chainStep(i + 1)).startAt();
      if (from >= 0 && to >= 0) {
        histogram.recordValue(Math.max(0, to - from) * 1_000);
      }
    }
  }

  /**
   * Returns steps per second.
   *
   * @param steps steps completed
   * @param elapsedNanos from the first submit to the last hook
   * @return the rate
   */
  static double perSecond(long steps, long elapsedNanos) {
    return steps / (elapsedNanos / 1e9);
  }
}
