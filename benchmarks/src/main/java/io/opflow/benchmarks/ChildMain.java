package io.opflow.benchmarks;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Runs another main class in a child JVM of the benchmark ({@code --processes}), and exits that JVM
 * (running its shutdown hooks, which stop the role gracefully) as soon as its standard input ends:
 * the benchmark holds the other end of that pipe, so a child never outlives the benchmark, even one
 * killed with {@code kill -9}.
 */
public final class ChildMain {
  private ChildMain() {}

  /**
   * Starts the watchdog, then the main class.
   *
   * @param args the main class's name, then its arguments
   * @throws Exception what the main class throws
   */
  public static void main(String[] args) throws Exception {
    Thread watchdog = new Thread(ChildMain::exitWhenParentEnds, "bench-child-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    try {
      Class.forName(args[0])
          .getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static void exitWhenParentEnds() {
    try {
      while (System.in.read() >= 0) {
        // The benchmark writes nothing; only the end of the stream matters.
      }
    } catch (IOException e) {
      // A broken pipe also means the benchmark is gone.
    }
    System.exit(0);
  }
}
