package io.opflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.cli.Cli.Result;
import io.opflow.cli.internal.DefinitionsLoader;
import io.opflow.testkit.cluster.OpflowCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class CliTest {
  @RegisterExtension
  static final OpflowCluster cluster =
      OpflowCluster.builder()
          .definitions(DefinitionsLoader.example().definitions())
          .workers(1)
          .build();

  @TempDir Path dir;

  private static Result run(String... args) {
    return Cli.run(args);
  }

  private Path file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void helpDocumentsTheExitCodes() {
    Result r = run("--help");

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Exit codes:", "dev", "submit", "runs", "events", "worker");
  }

  @Test
  void submitWatchSucceedsThenRunsAndEventsShowTheRun() {
    Result submitted =
        run(
            "submit",
            "-b",
            cluster.bootstrapServers(),
            "--example",
            "--job",
            "notif_all_dev",
            "--watch");

    assertThat(submitted.code()).as(submitted.err()).isZero();
    String runId = submitted.out().lines().findFirst().orElseThrow();
    assertThat(submitted.out())
        .contains("step a attempt 1 STARTED", "hook slack_message_on_success COMPLETED")
        .contains("run " + runId + " SUCCEEDED");
    List<String> progress = submitted.out().lines().skip(1).toList();
    CausalOrderAssert.assertCausalOrder(progress.subList(0, progress.size() - 1));

    assertThat(run("runs", "-b", cluster.bootstrapServers()).out())
        .containsPattern(runId + "\\s+notif_all_dev\\s+SUCCEEDED");
    String events = run("events", "-b", cluster.bootstrapServers(), "--run", runId).out();
    assertThat(events).contains("step b attempt 1 SUCCEEDED", "job notif_all_dev SUCCEEDED");
    CausalOrderAssert.assertCausalOrder(
        events.lines().map(line -> line.substring(line.indexOf(' ') + 1)).toList());
  }

  @Test
  void submitWatchExitsOneWhenTheRunFails() throws IOException {
    Path config = file("fail.yaml", "ops:\n  a:\n    config:\n      fail: true\n");

    Result r =
        run(
            "submit",
            "-b",
            cluster.bootstrapServers(),
            "--example",
            "--job",
            "notif_all_dev",
            "--config",
            config.toString(),
            "--watch");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("step a attempt 2 FAILED", "step b attempt 0 SKIPPED");
    List<String> progress = r.out().lines().skip(1).toList();
    assertThat(progress.get(progress.size() - 1)).matches("run \\S+ FAILED");
    CausalOrderAssert.assertCausalOrder(progress.subList(0, progress.size() - 1));
  }

  @Test
  void unknownJobIsBadInputNamingTheKnownJobs() {
    Result r = run("submit", "-b", cluster.bootstrapServers(), "--example", "--job", "nope");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown job 'nope'", "notif_all_dev");
  }

  @Test
  void invalidRunConfigIsBadInputWithEveryProblemAndPath() throws IOException {
    Path config = file("bad.yaml", "ops:\n  a:\n    config:\n      fail: maybe\n  zz: {}\n");

    Result r =
        run(
            "submit",
            "-b",
            cluster.bootstrapServers(),
            "--example",
            "--job",
            "notif_all_dev",
            "--config",
            config.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("invalid run config", "ops.a.config.fail", "zz");
    assertThat(r.out()).isEmpty();
  }
}
