package io.opflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class BenchmarkArithmeticTest {
  @Test
  void hopIsNextStartedMinusPreviousSucceeded() {
    RunTrace trace = new RunTrace();
    trace.started("s0", 1_000, 0);
    trace.succeeded("s0", 1_002, 2_000_000);
    trace.started("s1", 1_007, 7_000_000);
    trace.succeeded("s1", 1_008, 8_000_000);
    trace.started("s2", 1_020, 20_500_000);
    trace.succeeded("s2", 1_021, 21_000_000);

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
  void argsOverrideDefaultsAndUnknownKeysAreRefused() {
    BenchmarkArgs args = BenchmarkArgs.parse("--workers=3");

    assertThat(args.get("workers")).isEqualTo(3);
    assertThat(args.get("chain.steps")).isEqualTo(50);
    assertThatThrownBy(() -> BenchmarkArgs.parse("--nope=1")).hasMessageContaining("workers");
    assertThatThrownBy(() -> BenchmarkArgs.parse("--workers=x")).hasMessageContaining("whole");
  }
}
