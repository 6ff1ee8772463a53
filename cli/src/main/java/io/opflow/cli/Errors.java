package io.opflow.cli;

import io.opflow.core.DefinitionException;
import io.opflow.core.UnknownDefinitionException;
import io.opflow.core.config.ConfigProblem;
import io.opflow.core.config.InvalidRunConfigException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Prints errors for people: every run config problem with its path, the known jobs. */
final class Errors implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
    var err = cmd.getErr();
    if (e instanceof InvalidRunConfigException invalid) {
      err.println("error: invalid run config (" + invalid.problems().size() + " problem(s)):");
      for (ConfigProblem p : invalid.problems()) {
        err.println("  " + p.path() + ": " + p.message());
      }
      return Main.BAD_INPUT;
    }
    if (e instanceof UnknownDefinitionException || e instanceof DefinitionException) {
      err.println("error: " + e.getMessage());
      return Main.BAD_INPUT;
    }
    err.println("error: " + e);
    return Main.RUN_FAILED;
  }
}
