package io.opflow.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started by the benchmark on its own class path, under {@link ChildMain}, logging (standard
 * output and error) to a file. Closing it sends SIGTERM, so the role stops gracefully, and kills it
 * if it has not exited within {@value #GRACE_SECONDS} s. A shutdown hook kills every child still
 * running when the benchmark exits; {@link ChildMain} covers the benchmark being killed.
 */
final class ChildProcess implements AutoCloseable {
  private static final long GRACE_SECONDS = 20;
  private static final List<ChildProcess> LIVE = new CopyOnWriteArrayList<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> LIVE.forEach(c -> c.process.destroyForcibly()), "bench-kill-children"));
  }

  private final String name;
  private final Process process;
  private final Path log;
  private final int uid;

  private ChildProcess(String name, Process process, Path log, int uid) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.uid = uid;
  }

  /** Returns the user id the child runs as, or -1 when it runs as this process does. */
  int uid() {
    return uid;
  }

  /**
   * Starts a JVM.
   *
   * @param name the child's name, also its log file's
   * @param logs the directory of the log file
   * @param jvmOptions options before the class path, such as {@code -Xmx64m}
   * @param mainClass the class {@link ChildMain} runs
   * @param args its arguments
   * @return the running child
   * @throws IOException when the JVM cannot be started
   */
  static ChildProcess start(
      String name, Path logs, List<String> jvmOptions, String mainClass, List<String> args)
      throws IOException {
    return start(name, logs, jvmOptions, mainClass, args, -1);
  }

  /**
   * Starts a JVM under a user id of its own, so that a {@link NetworkCut} can cut it alone off the
   * network; the JVM needs no home and no file but those it is given.
   *
   * @param uid the user and group id to run as, or -1 for this process's
   */
  static ChildProcess start(
      String name, Path logs, List<String> jvmOptions, String mainClass, List<String> args, int uid)
      throws IOException {
    List<String> command = new ArrayList<>();
    if (uid >= 0) {
      command.addAll(
          List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--"));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (uid >= 0) {
      command.add("-XX:-UsePerfData"); // a user with no name and no home has no hsperfdata dir
    }
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ChildMain.class.getName());
    command.add(mainClass);
    command.addAll(args);
    Path log = logs.resolve(name + ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ChildProcess child = new ChildProcess(name, process, log, uid);
    LIVE.add(child);
    return child;
  }

  /** Returns the child's name. */
  String name() {
    return name;
  }

  /** Returns the child's process id. */
  long pid() {
    return process.pid();
  }

  /** Returns whether the child is still running. */
  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits for a line of the child's log that starts with {@code prefix}.
   *
   * @param prefix what the line starts with
   * @param timeout the longest wait
   * @return the line
   * @throws IllegalStateException when the child exits or the time runs out first, with the end of
   *     its log
   * @throws InterruptedException when interrupted
   */
  String awaitLine(String prefix, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      Optional<String> line = readLog().stream().filter(l -> l.startsWith(prefix)).findFirst();
      if (line.isPresent()) {
        return line.get();
      }
      if (!process.isAlive()) {
        throw failure("exited with " + process.exitValue() + " before printing '" + prefix + "'");
      }
      Thread.sleep(100);
    }
    throw failure("did not print '" + prefix + "' within " + timeout);
  }

  private IllegalStateException failure(String what) {
    List<String> lines = readLog();
    List<String> tail = lines.subList(Math.max(0, lines.size() - 20), lines.size());
    return new IllegalStateException(
        name + " " + what + "; end of " + log + ":\n  " + String.join("\n  ", tail));
  }

  private List<String> readLog() {
    try {
      // Decoded leniently: the child may be in the middle of writing a multi-byte character.
      return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Kills the child with SIGKILL and waits until it is gone.
   *
   * @return its exit code, 137 for a JVM killed with -9
   * @throws InterruptedException when interrupted
   */
  int kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " still alive " + GRACE_SECONDS + " s after SIGKILL");
    }
    LIVE.remove(this);
    return process.exitValue();
  }

  /**
   * Sends a signal by name ({@code STOP}, {@code CONT}) with {@code kill}.
   *
   * @param signal the signal's name without {@code SIG}
   * @throws IOException when {@code kill} cannot run or fails
   * @throws InterruptedException when interrupted
   */
  void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + signal + " " + pid() + " exited with " + kill.exitValue());
    }
  }

  /** Stops the child gracefully (SIGTERM), killing it if it does not exit in time. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(GRACE_SECONDS, TimeUnit.SECONDS);
    }
    LIVE.remove(this);
  }
}
