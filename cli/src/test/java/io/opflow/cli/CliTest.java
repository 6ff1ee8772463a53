package io.opflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.core.Definitions;
import io.opflow.testkit.cluster.OpflowCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(120)
class CliTest {
  @RegisterExtension
  static final OpflowCluster cluster =
      OpflowCluster.builder().definitions(Definitions.load()).workers(1).build();

  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
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
        run("submit", "-b", cluster.bootstrapServers(), "--job", "notif_all_dev", "--watch");

    assertThat(submitted.code()).as(submitted.err()).isZero();
    String runId = submitted.out().lines().findFirst().orElseThrow();
    assertThat(submitted.out())
        .contains("step a attempt 1 STARTED", "hook slack_message_on_success COMPLETED")
        .contains("run " + runId + " SUCCEEDED");

    assertThat(run("runs", "-b", cluster.bootstrapServers()).out())
        .containsPattern(runId + "\\s+notif_all_dev\\s+SUCCEEDED");
    assertThat(run("events", "-b", cluster.bootstrapServers(), "--run", runId).out())
        .contains("step b attempt 1 SUCCEEDED", "job notif_all_dev SUCCEEDED");
  }

  @Test
  void submitWatchExitsOneWhenTheRunFails() throws IOException {
    Path config = file("fail.yaml", "ops:\n  a:\n    config:\n      fail: true\n");

    Result r =
        run(
            "submit",
            "-b",
            cluster.bootstrapServers(),
            "--job",
            "notif_all_dev",
            "--config",
            config.toString(),
            "--watch");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("step a attempt 2 FAILED", "FAILED");
  }

  @Test
  void unknownJobIsBadInputNamingTheKnownJobs() {
    Result r = run("submit", "-b", cluster.bootstrapServers(), "--job", "nope");

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
            "--job",
            "notif_all_dev",
            "--config",
            config.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("invalid run config", "ops.a.config.fail", "zz");
    assertThat(r.out()).isEmpty();
  }
}
