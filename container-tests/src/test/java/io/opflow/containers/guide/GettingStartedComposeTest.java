package io.opflow.containers.guide;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.containers.OpflowImages;
import io.opflow.containers.RequiresDocker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Follows docs/getting-started.md to Docker Compose: the user's definitions jar built with javac in
 * an image FROM {@code opflow/opflow:dev} (in {@code /opt/opflow/definitions/}), Kafka and the
 * roles up with two workers, a run submitted from the {@code cli} service, and the ledger the
 * hooks-runner wrote on the host. {@code docker-compose down -v} is the guide's last step, and runs
 * here whatever happens.
 */
@RequiresDocker(images = {OpflowImages.KAFKA, OpflowImages.OPFLOW})
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class GettingStartedComposeTest {
  private static final String IMAGE = "ledger-demo:1";

  @TempDir Path dir;

  @Test
  void theGuideRunsAsWrittenInDockerCompose() throws Exception {
    GettingStartedTest.requireOpflowJar();
    Guide guide = Guide.read(GettingStartedTest.GUIDE);
    Map<String, String> env = GettingStartedTest.environment();
    String project = "opflowguide" + UUID.randomUUID().toString().substring(0, 8);
    env.put("COMPOSE_PROJECT_NAME", project);

    GuideRunner runner =
        new GuideRunner(
            dir, GettingStartedTest.logs("compose"), env, Map.of(), Duration.ofMinutes(5));
    try (runner) {
      runner.follow(guide.stepsOf("compose"));

      assertThat(Files.readAllLines(runner.cwd().resolve("ledger/ledger.txt"))).hasSize(2);
    } finally {
      cleanUp(runner.cwd(), env);
    }
  }

  /** Compose down (again, in case a step failed before) and the image the guide built. */
  private static void cleanUp(Path folder, Map<String, String> env) throws Exception {
    if (Files.exists(folder.resolve("docker-compose.yml"))) {
      ProcessBuilder down =
          new ProcessBuilder("docker-compose", "down", "-v", "--remove-orphans")
              .directory(folder.toFile());
      down.environment().putAll(env);
      down.redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(120, TimeUnit.SECONDS);
    }
    new ProcessBuilder("docker", "rmi", "-f", IMAGE)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor(60, TimeUnit.SECONDS);
  }
}
