package io.opflow.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's heap per in-flight step: runs of the {@code hold} job (independent steps that
 * wait on a {@link Gate}) fill the workers' slots and queue the rest, so that thousands of steps
 * are in flight at once. The coordinator's used heap after a full GC is read with them in flight,
 * and again once they have all ended; the difference over the number of steps is the figure.
 */
final class HeapPhase {
  /** How long to let the coordinator settle once every run has started. */
  private static final long SETTLE_MILLIS = 1000;

  private final Session session;
  private final Path gate;

  HeapPhase(Session session, Path gate) {
    this.session = session;
    this.gate = gate;
  }

  /** The coordinator's memory at one moment: used heap after a full GC, and RSS or -1. */
  private record Reading(long heap, long rss) {}

  /** Runs the phase and adds its section to the report. */
  void run() throws Exception {
    int runs = session.args().get("heap.runs");
    int steps = session.args().get("heap.steps");
    System.out.printf(
        "Opflow: %d steps held in flight for the coordinator's heap...%n", runs * steps);
    Files.deleteIfExists(gate);
    Reading idleBefore = read();
    List<String> runIds = session.submit(BenchmarkDefinitions.HOLD, runs);
    session.tap().awaitStarted(runIds, session.timeout());
    // Every run has started; give the coordinator a moment to finish what it read with them.
    TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS);
    Reading held = read();
    release();
    List<RunTrace> traces = session.tap().awaitRuns(runIds, 0, session.timeout());
    // The benchmark's own traces of these runs must not count in the idle heap of one JVM.
    session.tap().forget(runIds);
    Reading idleAfter = read();
    Files.deleteIfExists(gate);
    long succeeded = traces.stream().filter(RunTrace::succeeded).count();
    List<String> lines = report((long) runs * steps, idleBefore, held, idleAfter);
    lines.add(String.format("  %d of %d runs succeeded", succeeded, runs));
    session
        .report()
        .section(
            "coordinator heap per in-flight step (" + runs + " runs of " + steps + " held steps):",
            lines);
  }

  private Reading read() throws Exception {
    Deployment deployment = session.deployment();
    return new Reading(deployment.coordinatorHeapAfterGc(), deployment.coordinatorRssBytes());
  }

  private List<String> report(long inFlight, Reading idleBefore, Reading held, Reading idleAfter) {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "  %.0f bytes per in-flight step = (%.1f MB with %d steps in flight - %.1f MB once they"
                + " ended) / %d; %.1f MB before they were submitted",
            (held.heap() - idleAfter.heap()) / (double) inFlight,
            held.heap() / 1e6,
            inFlight,
            idleAfter.heap() / 1e6,
            inFlight,
            idleBefore.heap() / 1e6));
    if (held.rss() >= 0) {
      lines.add(
          String.format(
              Locale.ROOT,
              "  coordinator RSS: %.1f MB before, %.1f MB in flight, %.1f MB after",
              idleBefore.rss() / 1e6,
              held.rss() / 1e6,
              idleAfter.rss() / 1e6));
    }
    lines.add("  measured as " + session.deployment().heapScope());
    return lines;
  }

  private void release() throws IOException {
    Files.createDirectories(gate.getParent());
    Files.writeString(gate, "open");
  }
}
