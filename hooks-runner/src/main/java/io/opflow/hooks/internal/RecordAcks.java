package io.opflow.hooks.internal;

import io.opflow.core.OpflowException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Settles one record once everything it caused is acknowledged: the lane holds one share while it
 * works on the record, and each send it makes holds another until the broker acknowledges it. The
 * record is done when the last share is released, or abandoned if any send failed; a failed send
 * also stops the poll loop, so no offset ever passes an effect that was not written.
 */
final class RecordAcks implements Callback {
  private final PartitionLane lane;
  private final ConsumerRecord<?, ?> source;
  private final AtomicInteger shares = new AtomicInteger(1);
  private volatile boolean failed;
  private volatile boolean givenUp;

  RecordAcks(PartitionLane lane, ConsumerRecord<?, ?> source) {
    this.lane = lane;
    this.source = source;
  }

  /** Takes a share for a send about to be made, and returns the callback to give the producer. */
  Callback expect() {
    shares.incrementAndGet();
    return this;
  }

  /** Releases the lane's own share: it has made every send this record causes. */
  void release() {
    if (shares.decrementAndGet() == 0) {
      settle();
    }
  }

  /**
   * Leaves the record undone however its sends end: the lane stopped before it had done everything
   * the record asks, so the partition's next owner reads it again.
   */
  void giveUp() {
    givenUp = true;
  }

  /** Called by the producer's I/O thread, or by the sender when a send throws at once. */
  @Override
  public void onCompletion(RecordMetadata metadata, Exception error) {
    if (error != null) {
      failed = true;
      lane.fail(
          new SendFailedException(
              "A record caused by "
                  + PartitionLane.describe(source)
                  + " could not be written; the hooks-runner stops so that this offset is never"
                  + " committed. Restart it: hooks whose hook events are missing run again.",
              error));
    }
    release();
  }

  private void settle() {
    if (failed || givenUp) {
      lane.abandon(source);
    } else {
      lane.done(source);
    }
  }

  /** A send that failed for good. */
  static final class SendFailedException extends OpflowException {
    private static final long serialVersionUID = 1L;

    SendFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
