package io.opflow.cli;

import io.opflow.cli.internal.BadInputException;
import io.opflow.client.OpflowClient;
import io.opflow.client.ReexecutionScope;
import io.opflow.client.RunNotReexecutableException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Re-executes an ended run, all of it or from failure, and prints the new run's id. */
@Command(
    name = "reexecute",
    mixinStandardHelpOptions = true,
    description = {
      "Re-execute an ended run as a new run of the same job snapshot and run config, and print"
          + " the new run's id. Needs no definitions: the job comes from the run's request on"
          + " the runs topic.",
      "With --from-failure, every step that succeeded in the run is reused with its outputs"
          + " and not run again; the others and everything downstream of them run. Hooks fire"
          + " only for the steps that run."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:submitted (with --watch: the new run succeeded)",
      "1:with --watch: the new run failed, was canceled or did not end in time",
      "2:the run cannot be re-executed: not on the topics, not ended, or nothing failed",
      "3:the Kafka broker did not answer within --connect-timeout"
    })
final class ReexecuteCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RUN_ID", description = "The run to re-execute.")
  String runId;

  @Option(
      names = "--from-failure",
      description =
          "Reuse the steps that succeeded; run only what failed and what lies downstream.")
  boolean fromFailure;

  @Mixin WatchOptions watching;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    try (OpflowClient client = kafka.client()) {
      return watching.report(client, reexecute(client), out);
    }
  }

  private String reexecute(OpflowClient client) {
    try {
      return client.reexecute(
          runId, fromFailure ? ReexecutionScope.FROM_FAILURE : ReexecutionScope.ALL);
    } catch (RunNotReexecutableException e) {
      throw new BadInputException(e.getMessage());
    }
  }
}
