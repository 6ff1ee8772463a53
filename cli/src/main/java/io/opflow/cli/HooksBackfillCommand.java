package io.opflow.cli;

import io.opflow.hooks.HookReplay.Calls;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Fires hooks that never fired for earlier step attempts, such as a hook added to a job. */
@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    description = {
      "Fire the hooks of your definitions that apply to an earlier step attempt but have no hook"
          + " event at all, such as a hook added to a job after its runs: success hooks for"
          + " steps that succeeded, failure hooks for steps that failed, retry hooks for attempts"
          + " put up for retry. Each fires once, as generation 2"
          + " (runId/stepKey/attempt/hook/g2), so it never shares a key with a hooks-runner's"
          + " call.",
      "Run it for step events the hooks-runner has already read: one it has not read yet gets"
          + " the hook from both."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every chosen call completed or was skipped (with --dry-run: every one can fire)",
      "1:a call errored or could not fire; or an unexpected error",
      "2:bad input: unknown job or hook (the loaded ones are listed), bad option, missing topic",
      "3:the Kafka broker did not answer within --connect-timeout"
    })
final class HooksBackfillCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Mixin DefinitionsOptions definitions;

  @Mixin HookCallOptions calls;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return calls.run(spec, kafka, definitions, "hooks backfill", Calls.MISSING);
  }
}
