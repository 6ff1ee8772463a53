package io.opflow.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.containers.internal.DockerRequirementExtension;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/secured/docker-compose.yml} as docs/security.md uses it: secrets made by {@code
 * make-secrets.sh}, {@code up}, then the {@code cli} service submits the example job over SASL_SSL
 * under its own principal and watches it succeed. The worker's principal is refused writing runs,
 * and no container's configuration ({@code docker inspect}) holds a password. {@code down -v}
 * always runs.
 */
@RequiresDocker(images = {OpflowImages.KAFKA, OpflowImages.OPFLOW})
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class SecuredComposeTest {
  private static final Path SECURED = Path.of("..", "deploy", "secured");
  private static final Path COMPOSE_FILE = SECURED.resolve("docker-compose.yml");
  private static final String PROJECT = "opflowsec" + UUID.randomUUID().toString().substring(0, 8);
  private static final Pattern SCRAM_PASSWORD = Pattern.compile("password=([^\\]]+)\\]");
  private static final String CLI_JAVA =
      "java -cp '/opt/opflow/opflow.jar:/opt/opflow/opflow-example-slack-hooks.jar:/opt/opflow/definitions/*' io.opflow.cli.Main";

  @TempDir static Path secrets;

  private static boolean up;

  @BeforeAll
  static void composeUp() throws Exception {
    DockerRequirementExtension.requireDockerCompose();
    Result made = run(List.of("bash", SECURED.resolve("make-secrets.sh").toString(), dir()), 30);
    assertThat(made.exitCode()).as(made.output()).isZero();
    up = true; // from here on, down -v runs whatever happens
    Result result = compose(List.of("up", "-d"), 300);
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @AfterAll
  static void composeDown() throws Exception {
    if (up) {
      Result result = compose(List.of("down", "-v", "--remove-orphans"), 120);
      assertThat(result.exitCode()).as(result.output()).isZero();
    }
  }

  @Test
  void theCliSubmitsUnderItsOwnPrincipalAndTheRunSucceedsThroughEveryRole() throws Exception {
    Result result =
        compose(
            List.of(
                "run",
                "--rm",
                "-T",
                "cli",
                "submit",
                "--bootstrap-servers=kafka:9093",
                "--command-config=/run/secrets/cli",
                "--example",
                "--job=notif_all_dev",
                "--watch",
                "--timeout=PT90S"),
            180);

    assertThat(result.exitCode()).as(() -> withSetupAndCoordinatorLogs(result)).isZero();
    assertThat(result.output())
        .contains("hook slack_message_on_success COMPLETED")
        .contains(" SUCCEEDED");
  }

  @Test
  void theWorkersPrincipalMayNotSubmitARun() throws Exception {
    // The worker's own credentials (its kafka.* settings, unprefixed for --command-config).
    String asWorker =
        "sed 's/^kafka\\.//' /run/secrets/worker >/tmp/as-worker && "
            + CLI_JAVA
            + " submit --bootstrap-servers=kafka:9093 --command-config=/tmp/as-worker"
            + " --example --job=notif_all_dev";

    Result result = compose(List.of("exec", "-T", "worker", "bash", "-c", asWorker), 120);

    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    assertThat(result.output())
        .contains("the broker refused this principal access to topic(s) [opflow.runs]")
        .contains("opflow acls --role submitter");
  }

  @Test
  void noContainerShowsAPasswordAndEachRoleReadsItsOwnSecretFile() throws Exception {
    Result ids = compose(List.of("ps", "-q"), 60);
    assertThat(ids.exitCode()).as(ids.output()).isZero();
    List<String> inspect = new ArrayList<>(List.of("docker", "inspect"));
    ids.output().lines().filter(line -> line.matches("[0-9a-f]{12,}")).forEach(inspect::add);
    assertThat(inspect).hasSizeGreaterThan(6); // kafka-init, kafka, setup and four roles

    Result inspected = run(inspect, 60);

    assertThat(inspected.exitCode()).as(inspected.output()).isZero();
    for (String password : passwords()) {
      assertThat(inspected.output()).doesNotContain(password);
    }
    for (String role : List.of("coordinator", "worker", "hooks-runner", "hooks-runner-failures")) {
      assertThat(inspected.output()).contains("--config-file=/run/secrets/" + role + "\"");
    }
  }

  // When the client's run fails, say what the setup and the coordinator printed.
  private static String withSetupAndCoordinatorLogs(Result failed) {
    try {
      Result logs = compose(List.of("logs", "--no-color", "--tail=40", "setup", "coordinator"), 60);
      return failed.output() + "\n--- setup and coordinator logs ---\n" + logs.output();
    } catch (IOException e) {
      return failed.output() + "\n(no logs: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed.output();
    }
  }

  private static List<String> passwords() throws IOException {
    List<String> passwords = new ArrayList<>();
    Matcher matcher = SCRAM_PASSWORD.matcher(Files.readString(secrets.resolve("scram-users")));
    while (matcher.find()) {
      passwords.add(matcher.group(1));
    }
    assertThat(passwords).hasSize(6);
    return passwords;
  }

  private static String dir() {
    return secrets.toAbsolutePath().toString();
  }

  private static Result compose(List<String> args, int timeoutSeconds)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.addAll(List.of("docker-compose", "-f", COMPOSE_FILE.toString(), "-p", PROJECT));
    command.addAll(args);
    return run(command, timeoutSeconds);
  }

  private static Result run(List<String> command, int timeoutSeconds)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("opflow-compose-", ".log");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      Map<String, String> env = builder.environment();
      env.put("OPFLOW_SECRETS_DIR", dir());
      Process process = builder.start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
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
