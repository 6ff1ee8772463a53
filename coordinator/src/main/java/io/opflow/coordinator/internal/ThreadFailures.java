package io.opflow.coordinator.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the coordinator does when a stream thread dies: replace it, unless threads died too often
 * lately, in which case the whole client stops so the process can exit non-zero and be restarted by
 * its supervisor. Replacing a thread forever on the same failure would leave a coordinator that
 * looks alive and advances no run.
 */
public final class ThreadFailures implements StreamsUncaughtExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ThreadFailures.class);

  private final int maxReplacements;
  private final Duration window;
  private final Clock clock;
  private final Deque<Long> recent = new ArrayDeque<>();
  private volatile Throwable fatal;

  /**
   * Creates the handler.
   *
   * @param maxReplacements how many threads may be replaced within {@code window}
   * @param window the window over which replacements are counted
   * @param clock the clock that times them
   */
  public ThreadFailures(int maxReplacements, Duration window, Clock clock) {
    this.maxReplacements = maxReplacements;
    this.window = window;
    this.clock = clock;
  }

  @Override
  public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
    long now = clock.millis();
    while (!recent.isEmpty() && now - recent.peekFirst() > window.toMillis()) {
      recent.removeFirst();
    }
    if (recent.size() >= maxReplacements) {
      fatal = exception;
      LOG.error(
          "Coordinator stream thread failed {} times within {}; stopping the coordinator",
          recent.size() + 1,
          window,
          exception);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    recent.addLast(now);
    LOG.error("Coordinator stream thread failed; replacing it", exception);
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  /**
   * Returns the failure that stopped the coordinator, or null while it has not stopped on one.
   *
   * @return the last error before the client was shut down
   */
  public Throwable fatal() {
    return fatal;
  }
}
