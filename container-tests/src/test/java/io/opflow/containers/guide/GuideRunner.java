package io.opflow.containers.guide;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.containers.guide.Guide.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Follows a guide's steps in a folder as a reader would, in bash: writes its files, runs its
 * commands (tracking {@code cd}), starts the long-running ones and compares printed output with the
 * guide's. Text replacements (free ports for the guide's) apply to commands only. Output is
 * compared after run ids are masked, as lines in any order, with the first two and last two lines
 * in place: steps of one run have a causal order, not a total one.
 */
final class GuideRunner implements AutoCloseable {
  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern SHORT_RUN = Pattern.compile("^run [0-9a-f]{8} ", Pattern.MULTILINE);

  private final Path logs;
  private final Map<String, String> environment;
  private final Map<String, String> replacements;
  private final Duration runTimeout;
  private final List<Process> started = new ArrayList<>();
  private Path cwd;
  private String lastOutput;

  GuideRunner(
      Path dir,
      Path logs,
      Map<String, String> environment,
      Map<String, String> replacements,
      Duration runTimeout) {
    this.cwd = dir;
    this.logs = logs;
    this.environment = environment;
    this.replacements = replacements;
    this.runTimeout = runTimeout;
  }

  /** Follows each step, in order. */
  void follow(List<Step> steps) throws Exception {
    assertThat(steps).as("steps of the guide").isNotEmpty();
    for (Step step : steps) {
      switch (step.kind()) {
        case FILE -> writeFile(step);
        case RUN -> run(step);
        case START -> start(step);
        case OUTPUT -> compare(step);
      }
    }
  }

  /** Returns the folder the guide's commands are in now. */
  Path cwd() {
    return cwd;
  }

  private void writeFile(Step step) throws IOException {
    Path file = cwd.resolve(step.argument());
    Files.createDirectories(file.getParent());
    Files.writeString(file, step.text());
  }

  private void run(Step step) throws Exception {
    Files.createDirectories(logs);
    Path out = Files.createTempFile(logs, "run", ".out");
    Path err = Files.createTempFile(logs, "run", ".err");
    Path where = Files.createTempFile(logs, "cwd", ".txt");
    String script = "set -e\n" + command(step.text()) + "pwd > '" + where + "'\n";
    Process process = bash(script).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(runTimeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(
          "did not end within " + runTimeout + ":\n" + step.text() + tail(err));
    }
    lastOutput = Files.readString(out);
    assertThat(process.exitValue())
        .as("exit code of\n%s\nstdout:\n%s\nstderr:\n%s", step.text(), lastOutput, tail(err))
        .isZero();
    cwd = Path.of(Files.readString(where).strip());
  }

  private void start(Step step) throws Exception {
    Files.createDirectories(logs);
    Path log = logs.resolve(step.argument() + ".log");
    String script = command(step.text()).strip();
    Process process =
        bash("exec env " + script).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    started.add(process);
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (!Files.readString(log).contains(step.until())) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError(
            step.argument() + " did not print \"" + step.until() + "\":\n" + Files.readString(log));
      }
      Thread.sleep(200);
    }
  }

  private void compare(Step step) {
    assertThat(lastOutput).as("output of the step before").isNotNull();
    List<String> expected = masked(step.text());
    List<String> actual = masked(lastOutput);
    assertThat(actual)
        .as("printed lines, in any order")
        .containsExactlyInAnyOrderElementsOf(expected);
    if (expected.size() >= 4) {
      assertThat(actual.subList(0, 2)).as("first lines").isEqualTo(expected.subList(0, 2));
      assertThat(actual.subList(actual.size() - 2, actual.size()))
          .as("last lines")
          .isEqualTo(expected.subList(expected.size() - 2, expected.size()));
    }
  }

  private static List<String> masked(String text) {
    String noIds = UUID.matcher(text).replaceAll("RUN-ID");
    return SHORT_RUN.matcher(noIds).replaceAll("run RUN ").lines().toList();
  }

  private String command(String text) {
    String command = text;
    for (Map.Entry<String, String> r : replacements.entrySet()) {
      command = command.replace(r.getKey(), r.getValue());
    }
    return command;
  }

  private ProcessBuilder bash(String script) {
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).directory(cwd.toFile());
    Map<String, String> env = new HashMap<>(builder.environment());
    env.putAll(environment);
    builder.environment().putAll(env);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    return builder;
  }

  private static String tail(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** Stops what it started, newest first, with SIGTERM and then, if need be, SIGKILL. */
  @Override
  public void close() throws InterruptedException {
    for (int i = started.size() - 1; i >= 0; i--) {
      Process process = started.get(i);
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    started.clear();
  }
}
