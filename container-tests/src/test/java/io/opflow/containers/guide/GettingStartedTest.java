package io.opflow.containers.guide;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.containers.internal.DockerRequirementExtension;
import io.opflow.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Follows docs/getting-started.md up to a cluster of separate processes, with the real {@code
 * cli/target/opflow.jar} (and {@code dev/target/opflow-dev.jar} for the broker, which the lean jar
 * does not carry): builds the user's definitions jar with javac and jar, starts a broker, a
 * coordinator, a worker and a hooks-runner as processes, submits a run that succeeds and one that
 * fails, and checks what they print and what the hooks wrote. Only the ports differ from the
 * guide's, so that it runs beside other builds.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class GettingStartedTest {
  static final Path GUIDE = Path.of("..", "docs", "getting-started.md");
  static final Path OPFLOW_HOME = Path.of("..").toAbsolutePath().normalize();
  static final Path OPFLOW_JAR = OPFLOW_HOME.resolve("cli/target/opflow.jar");
  static final Path OPFLOW_DEV_JAR = OPFLOW_HOME.resolve("dev/target/opflow-dev.jar");

  @TempDir Path dir;

  @Test
  void theGuideRunsAsWrittenOnSeparateProcesses() throws Exception {
    requireOpflowJar();
    Guide guide = Guide.read(GUIDE);
    Map<String, String> ports = new LinkedHashMap<>();
    for (String port : new String[] {"9092", "9401", "9402", "9403"}) {
      ports.put(port, String.valueOf(FreePorts.next()));
    }

    try (GuideRunner runner =
        new GuideRunner(dir, logs("processes"), environment(), ports, Duration.ofMinutes(3))) {
      runner.follow(guide.stepsOf("processes"));

      assertThat(Files.readAllLines(runner.cwd().resolve("ledger.txt"))).hasSize(3);
    }
  }

  /** Where the output of the guide's commands goes, kept after the test for a look. */
  static Path logs(String part) {
    return Path.of("target", "getting-started-logs", part).toAbsolutePath();
  }

  /** The guide's commands with this JDK first on the path and quicker JVM starts. */
  static Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("OPFLOW_HOME", OPFLOW_HOME.toString());
    Path javaBin = Path.of(System.getProperty("java.home"), "bin");
    env.put("PATH", javaBin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -Xmx384m");
    return env;
  }

  /** Needs the jars `mvn package` builds; skipped with a notice without them, or fails under CI. */
  static void requireOpflowJar() {
    if (Files.isRegularFile(OPFLOW_JAR) && Files.isRegularFile(OPFLOW_DEV_JAR)) {
      return;
    }
    String notice =
        (Files.isRegularFile(OPFLOW_JAR) ? OPFLOW_DEV_JAR : OPFLOW_JAR)
            + " is missing: run mvn -B -q package -DskipTests first";
    if (DockerRequirementExtension.required()) {
      throw new IllegalStateException("The getting-started guide must be checked, but " + notice);
    }
    System.out.println("[opflow] SKIPPED getting-started test: " + notice);
    Assumptions.abort(notice);
  }
}
