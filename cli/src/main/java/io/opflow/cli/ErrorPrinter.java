package io.opflow.cli;

import io.opflow.cli.internal.AuthorizationHint;
import io.opflow.cli.internal.BadInputException;
import io.opflow.client.BrokerUnreachableException;
import io.opflow.core.DefinitionException;
import io.opflow.core.UnknownDefinitionException;
import io.opflow.core.config.ConfigProblem;
import io.opflow.core.config.InvalidRunConfigException;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Prints errors for people, one line where one line says it: every run config problem with its
 * path, the known jobs, the broker that did not answer, what the broker refused and the ACLs that
 * grant it.
 */
final class ErrorPrinter implements IExecutionExceptionHandler {
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
    if (e instanceof BrokerUnreachableException unreachable) {
      err.println(
          "error: "
              + unreachable.getMessage()
              + (unreachable.waited().isZero()
                  ? "; check --bootstrap-servers"
                  : "; check --bootstrap-servers and that Kafka is running, or wait longer with"
                      + " --connect-timeout"));
      return Main.BROKER_UNREACHABLE;
    }
    if (e instanceof UnknownDefinitionException
        || e instanceof DefinitionException
        || e instanceof BadInputException) {
      err.println("error: " + e.getMessage());
      return Main.BAD_INPUT;
    }
    if (e instanceof ConfigException) {
      err.println("error: invalid setting: " + e.getMessage());
      return Main.BAD_INPUT;
    }
    Optional<String> refused = AuthorizationHint.of(e, aclRole(cmd.getCommandName()));
    if (refused.isPresent()) {
      err.println("error: " + e.getMessage() + ": " + refused.get());
      return Main.RUN_FAILED;
    }
    err.println("error: " + e);
    return Main.RUN_FAILED;
  }

  // The `opflow acls --role` whose ACLs a client command needs.
  private static String aclRole(String command) {
    return switch (command) {
      case "submit" -> "submitter";
      case "coordinator", "worker", "hooks-runner" -> command;
      case "replay", "backfill" -> "hooks-runner";
      default -> "watcher";
    };
  }
}
