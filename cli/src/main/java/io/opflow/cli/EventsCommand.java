package io.opflow.cli;

import io.opflow.client.OpflowClient;
import io.opflow.client.RunUpdate;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints every step, hook and run event of one run, in time order. */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description = "Print every step, hook and run event of a run, in time order.")
final class EventsCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Spec CommandSpec spec;

  @Option(names = "--run", required = true, description = "The run id.")
  String runId;

  @Override
  public Integer call() {
    List<RunUpdate> updates;
    try (OpflowClient client = kafka.client()) {
      updates = client.events(runId);
    }
    var out = spec.commandLine().getOut();
    if (updates.isEmpty()) {
      spec.commandLine().getErr().println("error: no events for run " + runId);
      return Main.BAD_INPUT;
    }
    updates.stream()
        .sorted(Comparator.comparingLong(RunUpdate::timestampMillis))
        .forEach(u -> out.println(Instant.ofEpochMilli(u.timestampMillis()) + " " + u.toLine()));
    out.flush();
    return 0;
  }
}
