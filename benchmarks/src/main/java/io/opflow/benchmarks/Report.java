package io.opflow.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What the phases measured, printed at the end: the table of Opflow beside the raw Kafka floor,
 * then the notes and sections the phases added, the settings, and last the {@link Summary} line.
 * Latencies are histograms of microseconds.
 */
final class Report {
  final Histogram hopStamps = new Histogram(3);
  final Histogram hopReads = new Histogram(3);
  final Histogram hopEvents = new Histogram(3);
  final Histogram hookStamps = new Histogram(3);
  final Histogram hookReads = new Histogram(3);
  final Histogram loadedHookStamps = new Histogram(3);
  final Histogram loadedHookReads = new Histogram(3);
  Histogram floorLatency;
  double floorThroughput = Double.NaN;
  double stepsPerSecond = Double.NaN;
  boolean stampsHere = true;

  private final List<String> notes = new ArrayList<>();
  private final Map<String, List<String>> sections = new LinkedHashMap<>();
  private final List<String> settings = new ArrayList<>();

  /** Adds a line under the table: a label and its value. */
  void note(String label, String value) {
    notes.add(value.isEmpty() ? label : String.format("%-46s %s", label, value));
  }

  /** Adds a titled block of lines, printed after the notes in the order added. */
  void section(String title, List<String> lines) {
    sections.computeIfAbsent(title, k -> new ArrayList<>()).addAll(lines);
  }

  /** Adds a line to the settings. */
  void setting(String line) {
    settings.add(line);
  }

  /** Returns the summary of what was measured. */
  Summary summary() {
    Histogram hop = stampsHere ? hopStamps : hopReads.getTotalCount() > 0 ? hopReads : hopEvents;
    return new Summary(
        stepsPerSecond, floorThroughput, hop, floorLatency, stampsHere ? hookStamps : hookReads);
  }

  /** Prints everything, the summary line last. */
  void print(PrintStream out) {
    out.println();
    printTable(out);
    out.println();
    notes.forEach(out::println);
    sections.forEach(
        (title, lines) -> {
          out.println();
          out.println(title);
          lines.forEach(out::println);
        });
    out.println();
    out.println("settings:");
    settings.forEach(out::println);
    out.println();
    out.println(summary().line());
  }

  private void printTable(PrintStream out) {
    String hopWay =
        stampsHere ? "op returned -> next op entered" : "Succeeded read -> Started read";
    row(out, "", "Opflow", "raw Kafka (2 hops)");
    row(
        out,
        "hop p50 (" + hopWay + " | round trip)",
        ms(summary().hop(), 50),
        ms(floorLatency, 50));
    row(out, "hop p99", ms(summary().hop(), 99), ms(floorLatency, 99));
    row(out, "hop max", ms(summary().hop(), 100), ms(floorLatency, 100));
    if (stampsHere) {
      row(out, "hop p50 / p99 by events read", pair(hopReads), "");
    }
    row(out, "hop p50 / p99 by event timestamps", pair(hopEvents), "");
    String hookWay =
        stampsHere ? "op returned -> hook entered" : "StepSucceeded read -> HookCompleted read";
    row(out, "hook p50 / p99 (" + hookWay + ")", pair(summary().hook()), "");
    if (stampsHere) {
      row(out, "hook p50 / p99 by events read (to HookCompleted)", pair(hookReads), "");
    }
    row(out, "hook p50 / p99 under throughput load", pair(loaded()), "");
    row(
        out,
        "throughput (steps+hook/s | round trips/s)",
        rate(stepsPerSecond),
        rate(floorThroughput));
  }

  private Histogram loaded() {
    return stampsHere ? loadedHookStamps : loadedHookReads;
  }

  private static void row(PrintStream out, String name, String opflow, String kafka) {
    out.printf("%-52s %20s %18s%n", name, opflow, kafka);
  }

  private static String rate(double perSecond) {
    return Double.isNaN(perSecond) ? "-" : String.format(Locale.ROOT, "%.0f /s", perSecond);
  }

  private static String pair(Histogram micros) {
    return ms(micros, 50) + " / " + ms(micros, 99);
  }

  /** Formats a percentile of a histogram of microseconds as milliseconds; "-" when empty. */
  static String ms(Histogram micros, double percentile) {
    if (micros == null || micros.getTotalCount() == 0) {
      return "-";
    }
    long value = percentile >= 100 ? micros.getMaxValue() : micros.getValueAtPercentile(percentile);
    return String.format(Locale.ROOT, "%.2f ms", value / 1000.0);
  }
}
