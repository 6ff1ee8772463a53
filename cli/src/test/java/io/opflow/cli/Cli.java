package io.opflow.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** Runs the command line in this JVM or in a child JVM with the test's class path. */
final class Cli {
  private Cli() {}

  /** What a command printed and returned. */
  record Result(int code, String out, String err) {}

  /** Runs a command in this JVM. */
  static Result run(String... args) {
    return run(Thread.currentThread().getContextClassLoader(), args);
  }

  /** Runs a command in this JVM with a context class loader, as if its jars were on the path. */
  static Result run(ClassLoader loader, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return new Result(cli.execute(args), out.toString(), err.toString());
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** Starts a command in a child JVM whose standard output and error go to files in {@code dir}. */
  static Process start(Path dir, String name, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    try {
      Files.createDirectories(dir);
      return new ProcessBuilder(command)
          .redirectOutput(dir.resolve(name + ".out").toFile())
          .redirectError(dir.resolve(name + ".err").toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a command in a child JVM to its end. */
  static Result runChild(Path dir, String name, long timeoutSeconds, String... args)
      throws InterruptedException {
    Process process = start(dir, name, args);
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(name + " did not end within " + timeoutSeconds + " s");
    }
    return new Result(process.exitValue(), read(dir, name + ".out"), read(dir, name + ".err"));
  }

  /** Reads a file a child wrote, or "" when there is none yet. */
  static String read(Path dir, String file) {
    try {
      Path path = dir.resolve(file);
      return Files.exists(path) ? Files.readString(path) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns a port where nothing listens. */
  static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills a child JVM if it still runs. */
  static void kill(Process process) throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
