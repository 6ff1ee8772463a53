package io.opflow.runtime.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
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
 * The skeleton of a role's poll thread: subscribes, polls until stopped, commits the offsets of
 * records marked done, reports health from how recently it polled, and commits and closes the
 * consumer on the way out. Subclasses say what they read and what one poll does.
 */
public abstract class PollLoop implements Runnable, ConsumerRebalanceListener {
  private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);

  /** The consumer this loop owns; only the loop's thread may use it. */
  protected final Consumer<byte[], byte[]> consumer;

  private final long maxSilenceNanos;
  private final Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
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
      while (!stopping) {
        pollOnce();
      }
    } catch (WakeupException e) {
      if (!stopping) {
        failure = e;
      }
    } catch (Throwable e) {
      failure = e;
      LOG.error("{} stopped on an error", getClass().getSimpleName(), e);
    } finally {
      beforeClose();
      commitAndClose();
    }
  }

  /** Asks the loop to stop polling; it finishes the record in hand first. */
  public void stop() {
    stopping = true;
    consumer.wakeup();
  }

  /** Returns whether the loop polls normally: no error, not stopping, polled recently. */
  public boolean isHealthy() {
    return failure == null && !stopping && System.nanoTime() - lastPollNanos < maxSilenceNanos;
  }

  /** Records that a poll just returned, for {@link #isHealthy()}. */
  protected final void markPolled() {
    lastPollNanos = System.nanoTime();
  }

  /** Marks a record as handled: its offset is committed by the next {@link #commit()}. */
  protected final void markDone(ConsumerRecord<?, ?> record) {
    toCommit.put(
        new TopicPartition(record.topic(), record.partition()),
        new OffsetAndMetadata(record.offset() + 1));
  }

  /** Commits the offsets of the records marked done since the last commit. */
  protected final void commit() {
    if (!toCommit.isEmpty()) {
      consumer.commitSync(toCommit);
      toCommit.clear();
    }
  }

  /** Drops pending offsets of partitions this loop no longer owns. */
  protected final void forgetOffsets(Collection<TopicPartition> partitions) {
    toCommit.keySet().removeAll(partitions);
  }

  private void commitAndClose() {
    try {
      commit();
    } catch (RuntimeException e) {
      LOG.warn("Final commit of {} offsets failed: {}", getClass().getSimpleName(), e.toString());
    }
    consumer.close();
  }
}
