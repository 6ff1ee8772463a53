package io.opflow.cli;

import io.opflow.client.OpflowClient;
import io.opflow.client.RunUpdate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists runs with their latest status, read from the run events topic. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = "List runs and their status, from the run events (read to the end, no group).")
final class RunsCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Map<String, RunUpdate> latest = new LinkedHashMap<>();
    try (OpflowClient client = kafka.client()) {
      for (RunUpdate u : client.runEvents()) {
        latest.put(u.runId(), u);
      }
    }
    var out = spec.commandLine().getOut();
    out.printf("%-36s  %-24s  %s%n", "RUN ID", "JOB", "STATUS");
    latest.values().forEach(u -> out.printf("%-36s  %-24s  %s%n", u.runId(), u.name(), u.status()));
    out.flush();
    return 0;
  }
}
