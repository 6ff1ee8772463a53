package io.opflow.cli;

import io.opflow.hooks.HookReplay.Calls;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * Fires hook calls (and run status sensor calls) again, each under the next generation of its
 * idempotency key.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Fire hook calls again: those whose last try errored (default), those the hooks-runner"
          + " sent to the dead-letter topic, or every call that ran. Each fires once, under the"
          + " next generation of its idempotency key (runId/stepKey/attempt/hook/g<N>), through"
          + " the hook's retry policy, and each try is written to hook-events.",
      "Run status sensor calls are chosen too, and fire again from their run event under"
          + " runId/sensor/<name>/g<N>.",
      "The topics are read from their beginning to their current end (committed records only)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every chosen call completed or was skipped (with --dry-run: every one can fire)",
      "1:a call errored again or could not fire (its step event is gone, or its hook is not in"
          + " the definitions); or an unexpected error",
      "2:bad input: unknown job or hook (the loaded ones are listed), bad option, missing topic",
      "3:the Kafka broker did not answer within --connect-timeout"
    })
final class HooksReplayCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Mixin DefinitionsOptions definitions;

  @Mixin HookCallOptions calls;

  @Spec CommandSpec spec;

  @Option(
      names = "--only",
      paramLabel = "CALLS",
      defaultValue = "errored",
      converter = Only.class,
      completionCandidates = Only.class,
      description =
          "Which calls: errored (the last try of the latest generation errored), dead-lettered"
              + " (in the dead-letter topic, unless a replay since completed them) or all (every"
              + " call that ran; skipped calls are left out). Default: ${DEFAULT-VALUE}.")
  Calls only;

  @Override
  public Integer call() {
    return calls.run(spec, kafka, definitions, "hooks replay --only all", only);
  }

  /** Reads and lists the values of {@code --only}. */
  static final class Only implements ITypeConverter<Calls>, Iterable<String> {
    private static final List<String> VALUES = List.of("errored", "dead-lettered", "all");

    @Override
    public Calls convert(String value) {
      return switch (value) {
        case "errored" -> Calls.ERRORED;
        case "dead-lettered" -> Calls.DEAD_LETTERED;
        case "all" -> Calls.ALL;
        default ->
            throw new TypeConversionException(
                "'" + value + "' is not one of " + String.join(", ", VALUES));
      };
    }

    @Override
    public Iterator<String> iterator() {
      return VALUES.iterator();
    }
  }
}
