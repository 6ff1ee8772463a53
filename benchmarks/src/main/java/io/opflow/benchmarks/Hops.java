package io.opflow.benchmarks;

import org.HdrHistogram.Histogram;

/**
 * Step-to-step latency of a chain: for each hop, when step {@code i+1} started minus when step
 * {@code i} succeeded. That covers the result out of the worker, the coordinator's exactly-once
 * transaction, the next task to a worker and its StepStarted event.
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
      histogram.recordValue(Math.max(0, (to - from) / 1_000));
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
      long to = trace.step(BenchmarkDefinitions.chainStep(i + 1)).startedAt;
      histogram.recordValue(Math.max(0, to - from) * 1_000);
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
