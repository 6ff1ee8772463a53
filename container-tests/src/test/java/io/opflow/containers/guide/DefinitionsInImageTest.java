package io.opflow.containers.guide;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.containers.OpflowImages;
import io.opflow.containers.RequiresDocker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's documented way to add definitions: a jar in {@code /opt/opflow/definitions/} is what
 * the commands load, and Opflow's example, also in the image (its own jar beside the lean {@code
 * opflow.jar}), only with {@code --example}. The jar is the one docs/getting-started.md builds. No
 * broker is needed: {@code submit} checks the job, and a role its definitions, before connecting.
 */
@RequiresDocker(images = OpflowImages.OPFLOW)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DefinitionsInImageTest {
  @TempDir Path dir;

  @Test
  void aJarInTheDefinitionsFolderIsLoadedAndTheExampleIsNot() throws Exception {
    Path jar = buildGuideJar();

    Result r =
        docker(
            "run",
            "--rm",
            "-v",
            jar + ":/opt/opflow/definitions/ledger-defs.jar:ro",
            OpflowImages.OPFLOW,
            "submit",
            "-b",
            "127.0.0.1:9",
            "--job",
            "nope");

    assertThat(r.code()).as(r.output()).isEqualTo(2);
    assertThat(r.output()).contains("error: unknown job 'nope'; known jobs: ledger_demo");
    assertThat(r.output()).doesNotContain("notif_all_dev");
  }

  @Test
  void withNoJarARoleSaysWhereToPutOneAndHowToRunTheExample() throws Exception {
    Result r =
        docker(
            "run",
            "--rm",
            OpflowImages.OPFLOW,
            "worker",
            "-b",
            "127.0.0.1:9",
            "--metrics-port",
            "0");

    assertThat(r.code()).as(r.output()).isEqualTo(2);
    assertThat(r.output().replaceAll("\\s+", " "))
        .contains("no DefinitionsProvider found on the class path")
        .contains("/opt/opflow/definitions/")
        .contains("--example");
  }

  @Test
  void theExampleIsInTheImageForTheExampleOption() throws Exception {
    Result r =
        docker(
            "run",
            "--rm",
            OpflowImages.OPFLOW,
            "submit",
            "-b",
            "127.0.0.1:9",
            "--example",
            "--job",
            "nope");

    // The lean opflow.jar has no example: this is its own jar, beside it on the class path.
    assertThat(r.code()).as(r.output()).isEqualTo(2);
    assertThat(r.output())
        .contains("error: unknown job 'nope'; known jobs: ")
        .contains("notif_all_dev");
  }

  /** Follows the guide's common steps: folder, source, javac, jar. */
  private Path buildGuideJar() throws Exception {
    GettingStartedTest.requireOpflowJar();
    Guide guide = Guide.read(GettingStartedTest.GUIDE);
    try (GuideRunner runner =
        new GuideRunner(
            dir,
            GettingStartedTest.logs("image"),
            GettingStartedTest.environment(),
            Map.of(),
            Duration.ofMinutes(3))) {
      runner.follow(guide.stepsOf(""));
      Path jar = runner.cwd().resolve("ledger-defs.jar");
      assertThat(jar).exists();
      return jar;
    }
  }

  private record Result(int code, String output) {}

  private static Result docker(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(List.of(args));
    Path log = Files.createTempFile("opflow-docker-run", ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(command + " did not end: " + Files.readString(log));
    }
    return new Result(process.exitValue(), Files.readString(log));
  }
}
