package io.opflow.hooks.internal;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Callback;

/**
 * Brings a hook's or sensor's next try back to its lane's thread when it is due, without the lane
 * waiting for it. Until the try has run, it holds a share of its record's acknowledgements, so the
 * record's offset is not committed. If the lane starts closing first (its partition goes, or the
 * runner stops), the try is given up and so is the record: the partition's next owner reads it
 * again and goes on from the tries its ledger has.
 */
final class LaterTries {
  private final ScheduledExecutorService timer;

  LaterTries(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /**
   * Runs {@code tryAgain} on the lane's thread after {@code delay}, unless the lane closes first.
   * An exception escaping it gives the record up and stops the runner, as a lane's would.
   */
  void schedule(PartitionLane lane, RecordAcks acks, Duration delay, Runnable tryAgain) {
    Callback share = acks.expect();
    AtomicBoolean settled = new AtomicBoolean();
    Runnable giveUp =
        () -> {
          if (settled.compareAndSet(false, true)) {
            acks.giveUp();
            share.onCompletion(null, null);
          }
        };
    Runnable onClosing = lane.whenClosing(giveUp);
    Runnable onLane =
        () -> {
          if (lane.closing() || !settled.compareAndSet(false, true)) {
            giveUp.run();
            return;
          }
          lane.forgetWhenClosing(onClosing);
          try {
            tryAgain.run();
          } catch (RuntimeException e) {
            acks.giveUp();
            lane.fail(e);
          } finally {
            share.onCompletion(null, null);
          }
        };
    try {
      // Only hands the try to its lane, which reports what goes wrong there.
      Future<?> unused =
          timer.schedule(
              () -> {
                if (!lane.later(onLane)) {
                  giveUp.run();
                }
              },
              delay.toMillis(),
              TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      giveUp.run(); // the runner is closing
    }
  }
}
