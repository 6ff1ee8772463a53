package io.opflow.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Holds the benchmark's "hold" steps until a file exists. A file rather than a latch, so that it
 * works the same when the workers run in other processes ({@code --processes}).
 */
final class Gate {
  private static final long POLL_MILLIS = 50;

  private Gate() {}

  /**
   * Returns once {@code file} exists, or after {@code longest} so that a forgotten gate never holds
   * a worker forever.
   *
   * @param file the file whose creation opens the gate
   * @param longest the longest wait
   * @throws InterruptedException when the op is interrupted (a worker shutting down)
   */
  static void await(Path file, Duration longest) throws InterruptedException {
    long end = System.nanoTime() + longest.toNanos();
    while (!Files.exists(file) && System.nanoTime() < end) {
      Thread.sleep(POLL_MILLIS);
    }
  }
}
