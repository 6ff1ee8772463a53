package io.opflow.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.cli.Main;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lean {@code cli/target/opflow.jar}, as module cli's package phase shaded it: no Kafka broker,
 * no testkit, no example, none of this module; and its {@code dev} says which jar to run instead.
 * Needs that jar built in this build (it is, by the reactor, before this module); skipped with a
 * notice when it is missing or older than cli's classes, failing instead under {@code CI=true}.
 */
@Timeout(120)
class LeanJarTest {
  private static Path jar;

  @BeforeAll
  static void requireLeanJar() throws IOException {
    jar = Path.of(System.getProperty("opflow.leanJar", "../cli/target/opflow.jar"));
    Path mainClass =
        jar.resolveSibling("classes").resolve(Main.class.getName().replace('.', '/') + ".class");
    String notice = null;
    if (!Files.isRegularFile(jar)) {
      notice = jar + " is missing";
    } else if (Files.isRegularFile(mainClass)
        && Files.getLastModifiedTime(jar).compareTo(lastModified(mainClass)) < 0) {
      notice = jar + " is older than cli's classes";
    }
    if (notice == null) {
      return;
    }
    notice += ": build it with mvn -B package -pl dev -am (or verify)";
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException(notice);
    }
    System.out.println("[opflow] SKIPPED lean jar test: " + notice);
    Assumptions.abort(notice);
  }

  private static FileTime lastModified(Path file) throws IOException {
    return Files.getLastModifiedTime(file);
  }

  @Test
  void carriesNoBrokerNoTestkitNoExampleAndNoDevCommands() throws IOException {
    List<String> entries;
    try (JarFile file = new JarFile(jar.toFile())) {
      entries = file.stream().map(JarEntry::getName).toList();
    }

    assertThat(entries)
        .as("the roles and the command line are in it")
        .contains(
            "io/opflow/cli/Main.class",
            "io/opflow/coordinator/Coordinator.class",
            "org/apache/kafka/clients/producer/KafkaProducer.class");
    // kafka-clients has org/apache/kafka/server/{authorizer,policy,quota,telemetry}/ and
    // kafka/*.properties; the broker's classes are in the other packages of these jars.
    assertThat(entries)
        .as("no broker (kafka_2.13, its raft, metadata, controller and storage), no Scala")
        .noneMatch(e -> e.startsWith("kafka/") && e.endsWith(".class"))
        .noneMatch(e -> e.startsWith("org/apache/kafka/raft/"))
        .noneMatch(e -> e.startsWith("org/apache/kafka/network/"))
        .noneMatch(e -> e.startsWith("org/apache/kafka/controller/"))
        .noneMatch(e -> e.startsWith("org/apache/kafka/metadata/"))
        .noneMatch(e -> e.startsWith("org/apache/kafka/storage/"))
        .noneMatch(e -> e.startsWith("org/apache/kafka/server/config/"))
        .noneMatch(e -> e.startsWith("scala/"));
    assertThat(entries)
        .as("no testkit, no example, nothing of opflow-dev")
        .noneMatch(e -> e.startsWith("io/opflow/testkit/"))
        .noneMatch(e -> e.startsWith("io/opflow/examples/"))
        .noneMatch(e -> e.startsWith("io/opflow/dev/"))
        .doesNotContain("META-INF/services/io.opflow.cli.spi.CommandProvider");
  }

  @Test
  void itsDevSaysWhichJarToRun() throws Exception {
    String err = runFailing("dev", "--ui");

    assertThat(err)
        .contains("opflow.jar carries none")
        .contains("java -jar dev/target/opflow-dev.jar dev --ui");
  }

  @Test
  void itsExampleOptionSaysWhereTheExampleIs() throws Exception {
    String err = runFailing("submit", "-b", "127.0.0.1:9", "--example", "--job", "notif_all_dev");

    assertThat(err)
        .contains("Opflow's example definitions")
        .contains("not on the class path")
        .contains("opflow-dev.jar");
  }

  // Runs the lean jar with java -jar; it must exit 2 (bad input). Returns its standard error.
  private static String runFailing(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out + err).isEqualTo(Main.BAD_INPUT);
    return err;
  }
}
