package io.opflow.worker.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a step's StepStarted (optionally after a delay) and then its heartbeats on a schedule until
 * {@link #stop()}. Starting, beating and stopping share a lock, so neither a StepStarted nor a
 * heartbeat is queued on the producer after the step's terminal event.
 */
final class LeaseKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);
  private final Object lock = new Object();
  private final ScheduledExecutorService timer;
  private final long intervalMillis;
  private final Runnable start;
  private final Runnable beat;
  private ScheduledFuture<?> pendingStart;
  private ScheduledFuture<?> beats;
  private ScheduledFuture<?> deadline;
  private boolean started;
  private boolean stopped;

  private LeaseKeeper(
      ScheduledExecutorService timer, Duration interval, Runnable start, Runnable beat) {
    this.timer = timer;
    this.intervalMillis = interval.toMillis();
    this.start = start;
    this.beat = beat;
  }

  /** Sends heartbeats every {@code interval}; the StepStarted was sent already. */
  static LeaseKeeper start(ScheduledExecutorService timer, Duration interval, Runnable beat) {
    LeaseKeeper lease = new LeaseKeeper(timer, interval, () -> {}, beat);
    lease.startNow();
    return lease;
  }

  /**
   * Sends the StepStarted after {@code delay} unless stopped first, then heartbeats every {@code
   * interval}.
   */
  static LeaseKeeper startAfter(
      ScheduledExecutorService timer,
      Duration delay,
      Duration interval,
      Runnable start,
      Runnable beat) {
    LeaseKeeper lease = new LeaseKeeper(timer, interval, start, beat);
    synchronized (lease.lock) {
      lease.pendingStart = timer.schedule(lease::startNow, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
    return lease;
  }

  /** Sends the StepStarted now unless it was sent or the lease stopped; any thread. */
  void startNow() {
    synchronized (lock) {
      if (started || stopped) {
        return;
      }
      started = true;
      start.run();
      beats =
          timer.scheduleAtFixedRate(
              this::beatOnce, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Stops renewing the lease {@code limit} from now if the step has not ended by then, so that an
   * op which outlives its timeout and ignores its interrupt is ended by the coordinator as lost.
   */
  void endAfter(Duration limit, String step) {
    synchronized (lock) {
      deadline = timer.schedule(() -> endBeats(step), limit.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void endBeats(String step) {
    synchronized (lock) {
      if (!stopped) {
        LOG.warn(
            "{} is still running past its timeout and did not stop when interrupted; no longer"
                + " renewing its lease, so the coordinator will end the attempt as lost",
            step);
        stopped = true;
        cancel(pendingStart);
        cancel(beats);
      }
    }
  }

  /**
   * Stops the lease; nothing is sent once this returns.
   *
   * @return whether the StepStarted was sent
   */
  boolean stop() {
    synchronized (lock) {
      stopped = true;
      cancel(pendingStart);
      cancel(beats);
      cancel(deadline);
      return started;
    }
  }

  private void beatOnce() {
    synchronized (lock) {
      if (!stopped) {
        beat.run();
      }
    }
  }

  private static void cancel(ScheduledFuture<?> future) {
    if (future != null) {
      future.cancel(false);
    }
  }
}
