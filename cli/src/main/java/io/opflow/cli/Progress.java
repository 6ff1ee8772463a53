package io.opflow.cli;

import io.opflow.client.RunOutcome;
import io.opflow.client.RunUpdate;
import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * Prints live progress lines of runs, leaving heartbeats out, and run status sensors: they fire
 * once the run has ended, after the last line a watch prints ({@code opflow events} lists them).
 */
final class Progress {
  private Progress() {}

  static Consumer<RunUpdate> printer(PrintWriter out) {
    return u -> {
      if (!"HEARTBEAT".equals(u.status()) && u.source() != RunUpdate.Source.SENSOR) {
        out.println(u.toLine());
        out.flush();
      }
    };
  }

  static void printFinal(PrintWriter out, RunOutcome outcome) {
    out.println(
        "run "
            + outcome.runId()
            + " "
            + (outcome.isTerminal()
                ? outcome.status()
                : "did not end in time (" + outcome.status() + ")"));
    out.flush();
  }
}
