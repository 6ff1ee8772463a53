package io.opflow.worker.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends a step's heartbeats on a schedule until {@link #stop()}. Stopping and sending share a lock,
 * so no heartbeat is queued on the producer after the step's terminal event.
 */
final class LeaseKeeper {
  private final Object lock = new Object();
  private final ScheduledFuture<?> schedule;
  private boolean stopped;

  private LeaseKeeper(ScheduledExecutorService timer, Duration interval, Runnable beat) {
    long millis = interval.toMillis();
    this.schedule =
        timer.scheduleAtFixedRate(() -> beatOnce(beat), millis, millis, TimeUnit.MILLISECONDS);
  }

  static LeaseKeeper start(ScheduledExecutorService timer, Duration interval, Runnable beat) {
    return new LeaseKeeper(timer, interval, beat);
  }

  /** Stops the heartbeats; none is sent once this returns. */
  void stop() {
    synchronized (lock) {
      stopped = true;
    }
    schedule.cancel(false);
  }

  private void beatOnce(Runnable beat) {
    synchronized (lock) {
      if (!stopped) {
        beat.run();
      }
    }
  }
}
