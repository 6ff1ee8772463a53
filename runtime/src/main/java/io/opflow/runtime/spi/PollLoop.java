package io.opflow.runtime.spi;

import io.opflow.runtime.internal.OffsetTracker;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The skeleton of a role's poll thread: subscribes, polls until stopped or failed, commits the
 * offsets of records whose effects are done, reports health from how recently it polled, and
 * commits and closes the consumer on the way out. Subclasses say what they read and what one poll
 * does.
 *
 * <p>Offsets: a subclass {@link #take takes} each record it will handle, in order, and marks it
 * {@link #markDone done} once its effects are safe, possibly later and on another thread (a send
 * acknowledged, a hook fired). {@link #commit()} commits asynchronously only positions below which
 * every record is done, so an offset never passes an unacknowledged effect. An effect that cannot
 * be made safe {@link #fail fails} the loop: it stops, and the role reports itself unhealthy.
 */
public abstract class PollLoop implements Runnable, ConsumerRebalanceListener {
  private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);

  /** The consumer this loop owns; only the loop's thread may use it. */
  protected final Consumer<byte[], byte[]> consumer;

  private final long maxSilenceNanos;
  private final OffsetTracker offsets = new OffsetTracker();
  private volatile boolean stopping;
  private volatile Throwable failure;
  private volatile long lastPollNanos = System.nanoTime();

  /**
   * Creates the loop.
   *
   * @param consumer the consumer, not yet subscribed
   * @param maxSilence how long the loop may go without polling and still count as healthy
   */
  protected PollLoop(Consumer<byte[], byte[]> consumer, Duration maxSilence) {
    this.consumer = consumer;
    this.maxSilenceNanos = maxSilence.toNanos();
  }

  /** Returns the topics the loop subscribes to. */
  protected abstract List<String> topics();

  /** Polls once and handles what came; called until the loop is stopped. */
  protected abstract void pollOnce();

  /** Releases what the subclass holds, just before the consumer is committed and closed. */
  protected void beforeClose() {}

  @Override
  public final void run() {
    try {
      consumer.subscribe(topics(), this);
      while (!stopping && failure == null) {
        pollOnce();
      }
    } catch (WakeupException e) {
      if (!stopping && failure == null) {
        failure = e;
      }
    } catch (Throwable e) {
      failure = e;
    } finally {
      if (failure != null) {
        LOG.error("{} stopped on an error", getClass().getSimpleName(), failure);
      }
      beforeClose();
      commitAndClose();
    }
  }

  /** Asks the loop to stop polling; it finishes the record in hand first. */
  public void stop() {
    stopping = true;
    consumer.wakeup();
  }

  /**
   * Stops the loop because an effect could not be made safe (for example a send that failed for
   * good); callable from any thread. Offsets past the failed record are never committed.
   */
  public void fail(Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
    consumer.wakeup();
  }

  /** Returns whether the loop was asked to stop or failed. */
  protected final boolean isStopping() {
    return stopping || failure != null;
  }

  /** Returns the error that stopped the loop, or null. */
  public Throwable failure() {
    return failure;
  }

  /** Returns whether the loop polls normally: no error, not stopping, polled recently. */
  public boolean isHealthy() {
    return failure == null && !stopping && System.nanoTime() - lastPollNanos < maxSilenceNanos;
  }

  /** Records that a poll just returned, for {@link #isHealthy()}. */
  protected final void markPolled() {
    lastPollNanos = System.nanoTime();
  }

  /** Records that a record was taken for handling; call for every record, in poll order. */
  protected final void take(ConsumerRecord<?, ?> record) {
    offsets.taken(partitionOf(record), record.offset());
  }

  /**
   * Marks a taken record as done: its effects are safe, and its offset may be committed once every
   * earlier record of its partition is done too. Callable from any thread.
   */
  protected final void markDone(ConsumerRecord<?, ?> record) {
    offsets.done(partitionOf(record), record.offset());
  }

  /** Returns how many taken records of a partition are not yet done. */
  protected final int inFlight(TopicPartition partition) {
    return offsets.inFlight(partition);
  }

  /** Commits, without waiting, the positions that moved since the last commit. */
  protected final void commit() {
    Map<TopicPartition, OffsetAndMetadata> positions = offsets.committable();
    if (!positions.isEmpty()) {
      consumer.commitAsync(positions, PollLoop::logCommitFailure);
    }
  }

  /** Commits the positions that moved and waits; for revocation and shutdown. */
  protected final void commitAndWait() {
    Map<TopicPartition, OffsetAndMetadata> positions = offsets.committable();
    if (!positions.isEmpty()) {
      consumer.commitSync(positions);
    }
  }

  /** Drops what is known of partitions this loop no longer owns. */
  protected final void forgetOffsets(Collection<TopicPartition> partitions) {
    offsets.forget(partitions);
  }

  private static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
    return new TopicPartition(record.topic(), record.partition());
  }

  // A later commit covers a failed one; if none follows, the records are read again after a
  // restart, which fencing by attempt and the hook ledger make harmless.
  private static void logCommitFailure(
      Map<TopicPartition, OffsetAndMetadata> positions, Exception error) {
    if (error != null) {
      LOG.warn("Committing offsets {} failed: {}", positions, error.toString());
    }
  }

  private void commitAndClose() {
    try {
      commitSpendingAWakeup();
    } catch (RuntimeException e) {
      LOG.warn("Final commit of {} offsets failed: {}", getClass().getSimpleName(), e.toString());
    }
    consumer.close();
  }

  // stop() wakes the consumer; when the loop was between polls, it left on its own and the
  // wake-up is still pending, so the final commit throws it. That spends it: commit again.
  private void commitSpendingAWakeup() {
    try {
      commitAndWait();
    } catch (WakeupException e) {
      offsets.forgetReturned();
      commitAndWait();
    }
  }
}
