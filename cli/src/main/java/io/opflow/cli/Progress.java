package io.opflow.cli;

import io.opflow.client.RunOutcome;
import io.opflow.client.RunUpdate;
import java.io.PrintWriter;
import java.util.function.Consumer;

/** Prints live progress lines of runs, leaving heartbeats out. */
final class Progress {
  private Progress() {}

  static Consumer<RunUpdate> printer(PrintWriter out) {
    return u -> {
      if (!"HEARTBEAT".equals(u.status())) {
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
