package io.opflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class BenchmarkSummaryTest {
  /** The shape a script reads: N whole numbers, X with two decimals. */
  private static final Pattern SHAPE =
      Pattern.compile(
          "summary: opflow_steps_per_s=-?\\d+ floor_round_trips_per_s=-?\\d+"
              + " hop_p50_ms=-?\\d+\\.\\d\\d hop_p99_ms=-?\\d+\\.\\d\\d"
              + " floor_p50_ms=-?\\d+\\.\\d\\d floor_p99_ms=-?\\d+\\.\\d\\d"
              + " hook_p50_ms=-?\\d+\\.\\d\\d hook_p99_ms=-?\\d+\\.\\d\\d");

  @Test
  void summaryLineHasTheDocumentedShape() {
    Summary summary =
        new Summary(
            4_321.6, 81_234.4, micros(1_234, 8_000), micros(860, 5_600), micros(1_500, 2_000));

    String line = summary.line();

    assertThat(line)
        .isEqualTo(
            "summary: opflow_steps_per_s=4322 floor_round_trips_per_s=81234 hop_p50_ms=1.23"
                + " hop_p99_ms=8.00 floor_p50_ms=0.86 floor_p99_ms=5.60 hook_p50_ms=1.50"
                + " hook_p99_ms=2.00");
    assertThat(SHAPE.matcher(line).matches()).isTrue();
  }

  @Test
  void figuresNotMeasuredAreMinusOne() {
    String line = new Summary(Double.NaN, Double.NaN, new Histogram(3), null, null).line();

    assertThat(line)
        .isEqualTo(
            "summary: opflow_steps_per_s=-1 floor_round_trips_per_s=-1 hop_p50_ms=-1.00"
                + " hop_p99_ms=-1.00 floor_p50_ms=-1.00 floor_p99_ms=-1.00 hook_p50_ms=-1.00"
                + " hook_p99_ms=-1.00");
    assertThat(SHAPE.matcher(line).matches()).isTrue();
  }

  @Test
  void theReportPrintsTheSummaryLast() {
    Report report = new Report();
    report.note("a note", "value");
    report.section("a section:", List.of("  a line"));
    report.setting("  a setting");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).contains("a section:", "  a line", "  a setting");
    assertThat(SHAPE.matcher(lines.get(lines.size() - 1)).matches()).isTrue();
  }

  @Test
  void withoutStampsTheHopAndHookComeFromEventReads() {
    Report report = new Report();
    report.stampsHere = false;
    report.hopStamps.recordValue(1);
    report.hopReads.recordValue(9_000);
    report.hookReads.recordValue(3_000);

    Summary summary = report.summary();

    assertThat(summary.hop()).isSameAs(report.hopReads);
    assertThat(summary.hook()).isSameAs(report.hookReads);
  }

  /** Returns a histogram whose p50 is {@code p50} and whose p99 is {@code p99}. */
  private static Histogram micros(long p50, long p99) {
    Histogram h = new Histogram(3);
    h.recordValueWithCount(p50, 90);
    h.recordValueWithCount(p99, 10);
    return h;
  }
}
