package io.opflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class BenchmarkArithmeticTest {
  @Test
  void hopIsNextStartedMinusPreviousSucceeded() {
    RunTrace trace = new RunTrace();
    trace.started("s0", 1_000, 0);
    trace.succeeded("s0", 1_002, 2_000_000, 2);
    trace.started("s1", 1_007, 7_000_000);
    trace.succeeded("s1", 1_008, 8_000_000, 1);
    trace.started("s2", 1_020, 20_500_000);
    trace.succeeded("s2", 1_021, 21_000_000, 1);

    Histogram read = new Histogram(3);
    Hops.addReadTimes(trace, 3, read);
    Histogram event = new Histogram(3);
    Hops.addEventTimes(trace, 3, event);

    assertThat(read.getTotalCount()).isEqualTo(2);
    assertThat(read.getMinValue()).isEqualTo(5_000);
    assertThat(read.getMaxValue()).isBetween(12_490L, 12_510L);
    assertThat(event.getMinValue()).isEqualTo(5_000);
    assertThat(event.getMaxValue()).isBetween(11_990L, 12_010L);
  }

  @Test
  void stepsPerSecond() {
    assertThat(Hops.perSecond(5_000, 2_000_000_000L)).isEqualTo(2_500.0);
  }

  @Test
  void eventHopsFallBackToTheTerminalEventWhenStepStartedIsMissing() {
    RunTrace trace = new RunTrace();
    trace.succeeded("s0", 1_000, 1_000_000, 0);
    // No StepStarted for s1: its start is its success time minus the op's duration.
    trace.succeeded("s1", 1_010, 10_000_000, 4);

    Histogram read = new Histogram(3);
    Hops.addReadTimes(trace, 2, read);
    Histogram event = new Histogram(3);
    Hops.addEventTimes(trace, 2, event);

    assertThat(read.getTotalCount()).isZero();
    assertThat(event.getTotalCount()).isEqualTo(1);
    assertThat(event.getMaxValue()).isBetween(5_990L, 6_010L);
  }

  @Test
  void preciseHopIsNextOpEnteredMinusPreviousOpExited() {
    Map<String, Stamps.StepStamps> stamps = new HashMap<>();
    stamps.put("s0", stamps(0, 1_000_000, 1_500_000));
    stamps.put("s1", stamps(3_000_000, 3_100_000, 3_400_000));
    stamps.put("s2", stamps(7_100_000, 7_200_000, -1));

    Histogram hops = new Histogram(3);
    Hops.addStampHops(stamps, 3, hops);
    Histogram hooks = new Histogram(3);
    Hops.addStampHookLatencies(stamps, hooks);

    assertThat(hops.getTotalCount()).isEqualTo(2);
    assertThat(hops.getMinValue()).isEqualTo(2_000);
    assertThat(hops.getMaxValue()).isBetween(3_995L, 4_005L);
    // s2's hook was not entered: no latency for it.
    assertThat(hooks.getTotalCount()).isEqualTo(2);
    assertThat(hooks.getMinValue()).isEqualTo(300);
    assertThat(hooks.getMaxValue()).isEqualTo(500);
  }

  @Test
  void hookLatencyByReadsIsHookCompletedReadMinusStepSucceededRead() {
    RunTrace trace = new RunTrace();
    trace.succeeded("w0", 1_000, 1_000_000, 0);
    trace.hookReported("w0", true, 1_002, 3_500_000);
    // A second hook event of the same step does not move its first one.
    trace.hookReported("w0", true, 1_009, 9_000_000);
    trace.succeeded("w1", 1_000, 1_000_000, 0);
    trace.hookReported("w1", false, 1_001, 2_000_000);

    Histogram hooks = new Histogram(3);
    Hops.addReadHookLatencies(trace, hooks);

    assertThat(hooks.getTotalCount()).isEqualTo(1);
    assertThat(hooks.getMaxValue()).isBetween(2_495L, 2_505L);
    assertThat(trace.hooksCompleted()).isEqualTo(2);
    assertThat(trace.isDone(3)).isFalse();
  }

  @Test
  void longestGapIsTheLongestTimeWithoutAStartInTheWindow() {
    long[] starts = {0, 100, 200, 300, 900, 1_000, 1_100, 2_000};

    assertThat(Stalls.longestGap(starts, 50, 1_100)).isEqualTo(600);
    // The window's own start counts: nothing started from 950 to 1_000.
    assertThat(Stalls.longestGap(starts, 950, 1_050)).isEqualTo(50);
    // The window ends at the last start: the end of the work is not a stall.
    assertThat(Stalls.longestGap(starts, 1_900, 5_000)).isEqualTo(100);
    assertThat(Stalls.longestGap(new long[0], 0, 10)).isZero();
  }

  private static Stamps.StepStamps stamps(long entered, long exited, long hook) {
    Stamps.StepStamps s = new Stamps.StepStamps();
    s.opEntered = entered;
    s.opExited = exited;
    s.hookEntered = hook;
    return s;
  }
}
