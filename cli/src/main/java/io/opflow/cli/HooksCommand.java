package io.opflow.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Groups the commands that fire hook calls outside the hooks-runner. */
@Command(
    name = "hooks",
    mixinStandardHelpOptions = true,
    description =
        "Fire hook calls outside the hooks-runner: again (replay) or for the first time"
            + " (backfill).",
    subcommands = {HooksReplayCommand.class, HooksBackfillCommand.class})
final class HooksCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "give a subcommand: replay or backfill");
  }
}
