package io.opflow.cli.fault;

import io.opflow.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Workers in their own JVMs, started with the test JVM's class path through {@code
 * io.opflow.cli.Main worker}; each logs to {@code target/fault-logs/<id>.log}. {@link #close()}
 * kills every one still alive.
 */
final class ChildWorkers implements AutoCloseable {
  private static final Path LOGS = Path.of("target", "fault-logs");

  private final String bootstrapServers;
  private final List<Process> processes = new ArrayList<>();

  ChildWorkers(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /** Starts a worker JVM with a short heartbeat and a short consumer session. */
  Process start(String workerId) throws IOException {
    Process process =
        launch(
            workerId,
            List.of(
                "worker",
                "--bootstrap-servers",
                bootstrapServers,
                "--definitions",
                FaultDefinitions.class.getName(),
                "--metrics-port",
                "0",
                "--config",
                "opflow.worker.id=" + workerId,
                "--config",
                "opflow.worker.heartbeat.ms=500",
                // A killed worker keeps its partitions until its session expires; keep that short
                // so a retry on the same partition reaches a live worker soon (6 s is the broker
                // minimum).
                "--config",
                "kafka.session.timeout.ms=6000",
                "--config",
                "kafka.heartbeat.interval.ms=1000"));
    processes.add(process);
    return process;
  }

  /**
   * Starts {@code io.opflow.cli.Main} with {@code args} in a JVM of its own, on the test JVM's
   * class path, logging to {@code target/fault-logs/<name>.log}.
   *
   * @param name the log's name
   * @param args the command line, such as {@code worker --bootstrap-servers ...}
   * @return the running JVM
   * @throws IOException when it cannot be started
   */
  static Process launch(String name, List<String> args) throws IOException {
    Files.createDirectories(LOGS);
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(args);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(LOGS.resolve(name + ".log").toFile())
        .start();
  }

  /**
   * Kills a worker with SIGKILL and waits for it to be gone.
   *
   * @return the exit code, 137 (128 + 9) for a JVM killed with -9
   */
  static int kill9(Process process) throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("worker " + process.pid() + " still alive after SIGKILL");
    }
    return process.exitValue();
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Override
  public void close() throws InterruptedException {
    for (Process process : processes) {
      if (process.isAlive()) {
        kill9(process);
      }
    }
    processes.clear();
  }
}
