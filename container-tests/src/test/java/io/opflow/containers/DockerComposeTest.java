package io.opflow.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.containers.internal.DockerRequirementExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code deploy/docker-compose.yml} as the README uses it: {@code up} with two workers, then the
 * {@code cli} service submits the example job and watches it, once succeeding and once failing with
 * the run config file {@code deploy/examples/fail-a.yaml}. {@code down -v} always runs.
 */
@RequiresDocker(images = {OpflowImages.KAFKA, OpflowImages.OPFLOW})
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DockerComposeTest {
  private static final Path COMPOSE_FILE = Path.of("..", "deploy", "docker-compose.yml");
  private static final String PROJECT = "opflowtest" + UUID.randomUUID().toString().substring(0, 8);
  private static final List<String> SUBMIT =
      List.of(
          "run",
          "--rm",
          "-T",
          "cli",
          "submit",
          "--bootstrap-servers=kafka:9092",
          "--example",
          "--job=notif_all_dev",
          "--watch",
          "--timeout=PT90S");

  private static boolean up;

  @BeforeAll
  static void composeUp() throws Exception {
    DockerRequirementExtension.requireDockerCompose();
    up = true; // from here on, down -v runs whatever happens
    Result result = compose(List.of("up", "-d", "--scale", "worker=2"));
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @AfterAll
  static void composeDown() throws Exception {
    if (up) {
      Result result = compose(List.of("down", "-v", "--remove-orphans"));
      assertThat(result.exitCode()).as(result.output()).isZero();
    }
  }

  @Test
  void theCliSubmitsTheExampleJobAndExitsZeroWhenItSucceeds() throws Exception {
    Result result = compose(SUBMIT);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("hook slack_message_on_success COMPLETED")
        .contains(" SUCCEEDED");
  }

  @Test
  void theCliExitsOneWhenTheRunFailsOnTheMountedConfigFile() throws Exception {
    List<String> failing = new ArrayList<>(SUBMIT);
    failing.add("--config=/opflow/examples/fail-a.yaml");

    Result result = compose(failing);

    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    assertThat(result.output())
        .contains("step a attempt 2 FAILED")
        .contains("step a attempt 2 hook slack_message_on_failure COMPLETED")
        .contains("step b attempt 0 SKIPPED");
  }

  private static Result compose(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.addAll(List.of("docker-compose", "-f", COMPOSE_FILE.toString(), "-p", PROJECT));
    command.addAll(args);
    Path log = Files.createTempFile("opflow-compose-", ".log");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!process.waitFor(180, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        return new Result(-1, "timed out: " + command + "\n" + Files.readString(log));
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      System.out.println("[opflow] " + String.join(" ", command) + "\n" + output);
      return new Result(process.exitValue(), output);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private record Result(int exitCode, String output) {}
}
