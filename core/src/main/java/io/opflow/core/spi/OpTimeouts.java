package io.opflow.core.spi;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Interrupts an op's thread when its timeout passes. One daemon timer thread serves every op of the
 * JVM; an op without a timeout costs nothing.
 */
final class OpTimeouts {
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "opflow-op-timeouts");
            thread.setDaemon(true);
            return thread;
          });

  private OpTimeouts() {}

  /** Starts watching the calling thread: it is interrupted if still watched after {@code limit}. */
  static Watch watchCurrentThread(Duration limit) {
    Watch watch = new Watch(Thread.currentThread());
    watch.timer = TIMER.schedule(watch::expire, limit.toNanos(), TimeUnit.NANOSECONDS);
    return watch;
  }

  /** One watched attempt. */
  static final class Watch {
    private final Thread thread;
    private ScheduledFuture<?> timer;
    private boolean ended;
    private boolean expired;

    private Watch(Thread thread) {
      this.thread = thread;
    }

    private synchronized void expire() {
      if (!ended) {
        expired = true;
        thread.interrupt();
      }
    }

    /**
     * Stops watching, on the watched thread, and clears an interrupt the watch caused.
     *
     * @return whether the timeout passed while the attempt ran
     */
    boolean end() {
      boolean timedOut;
      synchronized (this) {
        ended = true;
        timedOut = expired;
      }
      timer.cancel(false);
      if (timedOut) {
        Thread.interrupted();
      }
      return timedOut;
    }
  }
}
