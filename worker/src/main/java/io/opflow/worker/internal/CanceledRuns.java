package io.opflow.worker.internal;

import io.opflow.events.RunCanceled;
import io.opflow.schemas.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs canceled since this worker started, read from {@code run-events} (committed records
 * only, every partition, from the end) on a thread of its own. The worker starts no step of a run
 * in this set: neither a task of it still queued nor the next step of a chain. Only the {@code
 * opflow.event-type} header and the key (the run id) of each record are read; nothing is decoded.
 * The most recent {@value #CAPACITY} cancellations are remembered.
 */
final class CanceledRuns implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CanceledRuns.class);
  static final int CAPACITY = 10_000;
  private static final String CANCELED = RunCanceled.class.getSimpleName();
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final Set<String> canceled =
      Collections.synchronizedSet(
          Collections.newSetFromMap(
              new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > CAPACITY;
                }
              }));
  private final CountDownLatch positioned = new CountDownLatch(1);
  private volatile java.util.function.Consumer<String> listener = runId -> {};
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean closing;

  /**
   * Creates the watcher; {@link #run()} it on its own thread.
   *
   * @param consumer a consumer with no group, reading committed records
   * @param topic the {@code run-events} topic
   */
  CanceledRuns(Consumer<byte[], byte[]> consumer, String topic) {
    this.consumer = consumer;
    this.topic = topic;
  }

  /**
   * Sets what to do, on the watcher's thread, with each run found canceled (after {@link
   * #isCanceled} says so); the previous listener is replaced.
   */
  void whenCanceled(java.util.function.Consumer<String> listener) {
    this.listener = listener;
  }

  /** Returns whether a cancellation of {@code runId} was read. */
  boolean isCanceled(String runId) {
    return canceled.contains(runId);
  }

  /**
   * Waits until the watcher reads from the end of every partition: a cancellation written after
   * this returns is seen.
   *
   * @return whether it got there within {@code timeout}
   */
  boolean awaitPositioned(Duration timeout) throws InterruptedException {
    return positioned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void run() {
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // resolves the end now, not at the first poll
      positioned.countDown();
      while (!closing) {
        consumer.poll(POLL_TIMEOUT).forEach(this::read);
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      // Chaining and queued tasks then ignore cancellations; the coordinator still discards the
      // results of a canceled run's steps.
      LOG.warn("Stopped watching {} for canceled runs: {}", topic, e.toString());
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      stopped.countDown();
    }
  }

  private void read(ConsumerRecord<byte[], byte[]> record) {
    if (record.key() != null
        && EventHeaders.eventType(record.headers()).filter(CANCELED::equals).isPresent()) {
      String runId = new String(record.key(), StandardCharsets.UTF_8);
      canceled.add(runId);
      listener.accept(runId);
    }
  }

  /** Stops the thread and closes the consumer. */
  @Override
  public void close() {
    closing = true;
    consumer.wakeup();
    try {
      stopped.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
