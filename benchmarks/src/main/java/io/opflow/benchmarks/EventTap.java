package io.opflow.benchmarks;

import io.opflow.events.HookCompleted;
import io.opflow.events.HookEvent;
import io.opflow.events.StepEvent;
import io.opflow.events.StepStarted;
import io.opflow.events.StepSucceeded;
import io.opflow.schemas.AvroEventSerde;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.OpflowTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads {@code step-events} and {@code hook-events} from their current end on a thread of its own
 * and keeps, per run, when each step started and succeeded (event time and the time this JVM read
 * it) and how many success hooks completed.
 */
final class EventTap implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final OpflowTopics topics;
  private final AvroEventSerde<StepEvent> steps = OpflowSerdes.stepEvents();
  private final AvroEventSerde<HookEvent> hooks = OpflowSerdes.hookEvents();
  private final Map<String, RunTrace> runs = new HashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  EventTap(String bootstrapServers, OpflowTopics topics) {
    this.topics = topics;
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(topics.stepEvents(), topics.hookEvents())) {
      for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    thread = new Thread(this::run, "event-tap");
    thread.start();
  }

  private void run() {
    while (running.get()) {
      var records = consumer.poll(Duration.ofMillis(10));
      long receivedNanos = System.nanoTime();
      synchronized (this) {
        for (ConsumerRecord<byte[], byte[]> r : records) {
          record(r, receivedNanos);
        }
        notifyAll();
      }
    }
    consumer.close();
  }

  private void record(ConsumerRecord<byte[], byte[]> r, long receivedNanos) {
    if (r.value() == null) {
      return;
    }
    if (r.topic().equals(topics.stepEvents())) {
      StepEvent e = steps.deserialize(r.topic(), r.value());
      long at = e.getTimestamp().toEpochMilli();
      Object payload = e.getPayload();
      if (payload instanceof StepStarted) {
        trace(e.getRunId()).started(e.getStepKey(), at, receivedNanos);
      } else if (payload instanceof StepSucceeded) {
        trace(e.getRunId()).succeeded(e.getStepKey(), at, receivedNanos);
      }
    } else {
      HookEvent e = hooks.deserialize(r.topic(), r.value());
      if (e.getPayload() instanceof HookCompleted) {
        trace(e.getRunId()).hookCompleted(e.getTimestamp().toEpochMilli(), receivedNanos);
      }
    }
  }

  private RunTrace trace(String runId) {
    return runs.computeIfAbsent(runId, k -> new RunTrace());
  }

  /**
   * Waits until every run has at least {@code hooksPerRun} completed hooks.
   *
   * @return the traces of the runs, in the order given
   * @throws IllegalStateException when the timeout passes first, saying how far it got
   */
  synchronized List<RunTrace> awaitHooks(
      Collection<String> runIds, int hooksPerRun, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (completedHooks(runIds) < (long) hooksPerRun * runIds.size()) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException(
            "timed out after "
                + timeout
                + " with "
                + completedHooks(runIds)
                + " of "
                + (long) hooksPerRun * runIds.size()
                + " hooks completed");
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return runIds.stream().map(this::trace).map(RunTrace::copy).toList();
  }

  private long completedHooks(Collection<String> runIds) {
    return runIds.stream().mapToLong(id -> trace(id).hooksCompleted()).sum();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join();
  }
}
