package io.opflow.benchmarks;

import java.time.Duration;
import java.util.Map;

/**
 * Waits, after the warm-up, for this JVM's JIT compiler threads to go quiet: on 2 cores the
 * compilers compete with the warm-up's own work, and the queue of methods they have still to
 * compile outlasts it. Measuring then would time half-compiled code, not the steady state a role
 * that runs for days is in.
 */
final class JitSettle {
  /** One look at the compilers: how much of one core they used over it. */
  static final Duration WINDOW = Duration.ofSeconds(1);

  /** Quiet: the compilers used less than this share of one core over a window. */
  static final double QUIET_SHARE_OF_A_CORE = 0.05;

  private JitSettle() {}

  /**
   * Waits until the JIT compiler threads used less than {@link #QUIET_SHARE_OF_A_CORE} of a core
   * over one {@link #WINDOW}, or until {@code longest} passed.
   *
   * @param longest the longest wait
   * @return how long it waited, and whether the compilers went quiet
   * @throws InterruptedException when interrupted
   */
  static Result await(Duration longest) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + longest.toNanos();
    Map<Long, JvmThreads.Times> before = JvmThreads.read();
    while (System.nanoTime() - deadline < 0) {
      Thread.sleep(WINDOW.toMillis());
      Map<Long, JvmThreads.Times> now = JvmThreads.read();
      if (isQuiet(JvmThreads.spentBetween(before, now).get(JvmThreads.Kind.JIT), WINDOW)) {
        return new Result(Duration.ofNanos(System.nanoTime() - start), true);
      }
      before = now;
    }
    return new Result(Duration.ofNanos(System.nanoTime() - start), false);
  }

  /**
   * Returns whether compilers that used {@code jitNanos} of CPU over {@code window} were quiet.
   *
   * @param jitNanos CPU time of the compiler threads over the window
   * @param window the window
   * @return whether they used less than {@link #QUIET_SHARE_OF_A_CORE} of one core
   */
  static boolean isQuiet(long jitNanos, Duration window) {
    return jitNanos < window.toNanos() * QUIET_SHARE_OF_A_CORE;
  }

  /**
   * How a wait ended.
   *
   * @param waited how long it waited
   * @param quiet whether the compilers went quiet; false when the longest wait passed first
   */
  record Result(Duration waited, boolean quiet) {}
}
