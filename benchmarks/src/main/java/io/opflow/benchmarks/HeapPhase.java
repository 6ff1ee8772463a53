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

  /** Runs the phase and adds its section to the report. */
  void run() throws Exception {
    int runs = session.args().get("heap.runs");
    int steps = session.args().get("heap.steps");
    long inFlight = (long) runs * steps;
    System.out.printf("Opflow: %d steps held in flight for the coordinator's heap...%n", inFlight);
    Files.deleteIfExists(gate);
    Deployment deployment = session.deployment();
    long idleBefore = deployment.coordinatorHeapAfterGc();
    List<String> runIds = session.submit(BenchmarkDefinitions.HOLD, runs);
    session.tap().awaitStarted(runIds, session.timeout());
    TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS);
    long held = deployment.coordinatorHeapAfterGc();
    long heldRss = deployment.coordinatorRssBytes();
    release();
    List<RunTrace> traces = session.tap().awaitRuns(runIds, 0, session.timeout());
    session.tap().forget(runIds);
    long idleAfter = deployment.coordinatorHeapAfterGc();
    long idleRss = deployment.coordinatorRssBytes();
    Files.deleteIfExists(gate);
    long ended = traces.stream().filter(RunTrace::succeeded).count();
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "  %.0f bytes per in-flight step: (%.1f MB with %d steps in flight - %.1f MB once they"
                + " ended) / %d",
            (held - idleAfter) / (double) inFlight,
            held / 1e6,
            inFlight,
            idleAfter / 1e6,
            inFlight));
    lines.add(
        String.format(
            Locale.ROOT,
            "  idle before the runs: %.1f MB; %d of %d runs succeeded",
            idleBefore / 1e6,
            ended,
            runs));
    if (heldRss >= 0) {
      lines.add(
          String.format(
              Locale.ROOT,
              "  coordinator RSS: %.1f MB in flight, %.1f MB after",
              heldRss / 1e6,
              idleRss / 1e6));
    }
    lines.add("  measured as " + deployment.heapScope());
    session
        .report()
        .section(
            "coordinator heap per in-flight step (" + runs + " runs of " + steps + " held steps):",
            lines);
  }

  private void release() throws IOException {
    Files.createDirectories(gate.getParent());
    Files.writeString(gate, "open");
  }
}
