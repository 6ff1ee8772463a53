package io.opflow.benchmarks;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The benchmark's last line, for scripts: {@code summary: opflow_steps_per_s=N
 * floor_round_trips_per_s=N hop_p50_ms=X hop_p99_ms=X floor_p50_ms=X floor_p99_ms=X hook_p50_ms=X
 * hook_p99_ms=X}, N whole numbers and X with two decimals. A figure that was not measured (its
 * phase was not selected, or failed) is {@code -1} or {@code -1.00}.
 *
 * @param opflowStepsPerSecond the throughput phase's steps (each with its hook) per second, or NaN
 * @param floorRoundTripsPerSecond the raw Kafka floor's round trips per second, or NaN
 * @param hop the step-to-step hop, microseconds, or null
 * @param floor the raw Kafka round trip, microseconds, or null
 * @param hook the hook latency, microseconds, or null
 */
record Summary(
    double opflowStepsPerSecond,
    double floorRoundTripsPerSecond,
    Histogram hop,
    Histogram floor,
    Histogram hook) {

  /** Returns the line. */
  String line() {
    return String.format(
        Locale.ROOT,
        "summary: opflow_steps_per_s=%d floor_round_trips_per_s=%d hop_p50_ms=%s hop_p99_ms=%s"
            + " floor_p50_ms=%s floor_p99_ms=%s hook_p50_ms=%s hook_p99_ms=%s",
        rate(opflowStepsPerSecond),
        rate(floorRoundTripsPerSecond),
        millis(hop, 50),
        millis(hop, 99),
        millis(floor, 50),
        millis(floor, 99),
        millis(hook, 50),
        millis(hook, 99));
  }

  private static long rate(double perSecond) {
    return Double.isNaN(perSecond) ? -1 : Math.round(perSecond);
  }

  private static String millis(Histogram micros, double percentile) {
    if (micros == null || micros.getTotalCount() == 0) {
      return "-1.00";
    }
    return String.format(Locale.ROOT, "%.2f", micros.getValueAtPercentile(percentile) / 1000.0);
  }
}
