package io.opflow.cli.spi;

import io.opflow.client.RunOutcome;
import io.opflow.client.RunUpdate;
import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * Prints live progress lines of runs as {@code submit --watch} does, for commands that a {@link
 * CommandProvider} adds: heartbeats and run status sensors are left out, since sensors fire once
 * the run has ended, after the last line a watch prints ({@code opflow events} lists them).
 */
public final class RunPrinting {
  private RunPrinting() {}

  /**
   * Returns a consumer that prints each update but heartbeats and sensors, one line each.
   *
   * @param out where to print
   * @return the consumer, for {@code RunWatch.onUpdate}
   */
  public static Consumer<RunUpdate> printer(PrintWriter out) {
    return u -> {
      if (!"HEARTBEAT".equals(u.status()) && u.source() != RunUpdate.Source.SENSOR) {
        out.println(u.toLine());
        out.flush();
      }
    };
  }

  /**
   * Prints a run's last line: its status, or that it did not end in time.
   *
   * @param out where to print
   * @param outcome what the watch saw
   */
  public static void printFinal(PrintWriter out, RunOutcome outcome) {
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
