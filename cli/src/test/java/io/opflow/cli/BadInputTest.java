package io.opflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.cli.Cli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input exits 2 with a message that says what is wrong, before anything connects:
 * no broker listens at the address these commands are given.
 */
@Timeout(60)
class BadInputTest {
  private static final String NO_BROKER = "127.0.0.1:9";

  @TempDir Path dir;

  @Test
  void devAndBrokerSayWhichJarHasThem() {
    for (String command : new String[] {"dev", "broker"}) {
      Result r = Cli.run(command, "--port", "9092");

      assertThat(r.code()).as(command).isEqualTo(2);
      assertThat(r.err())
          .as(command)
          .startsWith("error: opflow " + command + " runs an embedded Kafka broker")
          .contains("java -jar dev/target/opflow-dev.jar " + command + " --port 9092");
    }
  }

  @Test
  void aMissingRunConfigFileIsNamedAsMissing() {
    Path missing = dir.resolve("run.yaml");

    Result r = submit("--config", missing.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("error: run config file " + missing + " does not exist\n");
  }

  @Test
  void aRelativeMissingRunConfigFileSaysWhereItWasLookedFor() {
    Result r = submit("--config", "nope.yaml");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("run config file nope.yaml does not exist (relative to ")
        .contains(Path.of("").toAbsolutePath().toString());
  }

  @Test
  void aDirectoryIsNotARunConfigFile() {
    Result r = submit("--config", dir.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("run config file " + dir + " is a directory");
  }

  @Test
  void aRunConfigFileThatIsNotYamlSaysWhereTheSyntaxBreaks() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "ops: [unclosed\n");

    Result r = submit("--config", bad.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("invalid run config").contains(bad.toString());
  }

  @Test
  void anInvalidRoleSettingIsBadInputNamingTheKey() {
    Result r =
        Cli.run(
            "worker",
            "-b",
            NO_BROKER,
            "--example",
            "--metrics-port",
            "0",
            "--config",
            "opflow.worker.concurrency=lots");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("error: invalid setting: ")
        .contains("lots", "opflow.worker.concurrency");
  }

  @Test
  void anUnknownRoleSettingIsBadInputListingTheKnownOnes() {
    Result r =
        Cli.run("hooks-runner", "-b", NO_BROKER, "--example", "--config", "opflow.hooks.thread=4");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("unknown setting --config opflow.hooks.thread")
        .contains("opflow.hooks.threads")
        .contains("kafka.*");
  }

  @Test
  void anInvalidCoordinatorSettingIsBadInput() {
    Result r = Cli.run("coordinator", "-b", NO_BROKER, "--config", "opflow.lease.ms=soon");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("invalid setting", "opflow.lease.ms");
  }

  @Test
  void aSettingWithoutAValueIsBadInput() {
    Result r = Cli.run("worker", "-b", NO_BROKER, "--example", "--config", "opflow.worker.id");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("KEY=VALUE");
  }

  @Test
  void aDurationThatIsNotOneIsBadInput() {
    Result r = submit("--connect-timeout", "soon");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("'soon' is not a duration");
  }

  private static Result submit(String... more) {
    String[] args = new String[5 + more.length];
    System.arraycopy(
        new String[] {"submit", "-b", NO_BROKER, "--example", "--job=notif_all_dev"},
        0,
        args,
        0,
        5);
    System.arraycopy(more, 0, args, 5, more.length);
    return Cli.run(args);
  }
}
