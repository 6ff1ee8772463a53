package io.opflow.cli;

import io.opflow.cli.spi.RunPrinting;
import io.opflow.client.OpflowClient;
import io.opflow.client.RunOutcome;
import io.opflow.client.RunWatch;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --watch} and {@code --timeout} of the commands that start a run, and the following. */
final class WatchOptions {
  @Option(names = "--watch", description = "Follow the run and print its progress until it ends.")
  boolean watch;

  @Option(
      names = "--timeout",
      defaultValue = "10m",
      paramLabel = "DURATION",
      description = "With --watch, how long to wait, such as 90s (default ${DEFAULT-VALUE}).")
  Duration timeout;

  /**
   * Prints the run id, then, with {@code --watch}, the run's progress until it ends.
   *
   * @return the command's exit code: 0 when not watching or the run succeeded, else {@link
   *     Main#RUN_FAILED}
   */
  int report(OpflowClient client, String runId, PrintWriter out) {
    out.println(runId);
    out.flush();
    if (!watch) {
      return 0;
    }
    try (RunWatch w = client.watch(runId)) {
      RunOutcome outcome = w.onUpdate(RunPrinting.printer(out)).await(timeout);
      RunPrinting.printFinal(out, outcome);
      return outcome.succeeded() ? 0 : Main.RUN_FAILED;
    }
  }
}
