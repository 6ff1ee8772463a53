package io.opflow.cli;

import io.opflow.client.OpflowClient;
import io.opflow.client.RunUpdate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints every step, hook and run event of one run, in causal order. */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description =
        "Print every step, hook and run event of a run in causal order (the run's start, each"
            + " step's start and end followed by its hooks, the run's end last), each with the"
            + " time its writer gave it.")
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
    updates.forEach(u -> out.println(Instant.ofEpochMilli(u.timestampMillis()) + " " + u.toLine()));
    out.flush();
    return 0;
  }
}
