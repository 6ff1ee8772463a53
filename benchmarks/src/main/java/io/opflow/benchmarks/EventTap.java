package io.opflow.benchmarks;

import io.opflow.events.HookCompleted;
import io.opflow.events.HookEvent;
import io.opflow.events.RunEvent;
import io.opflow.events.RunFailed;
import io.opflow.events.RunStarted;
import io.opflow.events.RunSucceeded;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepHeartbeat;
import io.opflow.events.StepStarted;
import io.opflow.events.StepSucceeded;
import io.opflow.events.StepUpForRetry;
import io.opflow.schemas.AvroEventSerde;
import io.opflow.schemas.EventHeaders;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.OpflowTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads {@code step-events}, {@code hook-events} and {@code run-events} from their current end on a
 * thread of its own and keeps, per run, when each step started and succeeded and when its hook
 * completed (event time and the time this JVM read it), its hook events, its {@code WorkerLost}
 * verdicts, whether it started and how it ended. It reads uncommitted records, as it always has:
 * its read times are the earliest a consumer could see each event.
 *
 * <p>It filters on Opflow's event headers (type, run id, step key) and takes an event's time from
 * its record's timestamp, set by the producer as it sends; it decodes a record only when those do
 * not tell enough (a failure's error, the duration of a step whose StepStarted it did not see) or
 * when the headers are missing. So it stays cheap beside the roles it measures on the same cores.
 */
final class EventTap implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final OpflowTopics topics;
  private final AvroEventSerde<StepEvent> steps = OpflowSerdes.stepEvents();
  private final AvroEventSerde<HookEvent> hooks = OpflowSerdes.hookEvents();
  private final AvroEventSerde<RunEvent> runEvents = OpflowSerdes.runEvents();
  private static final String STEP_STARTED = StepStarted.class.getSimpleName();
  private static final String STEP_SUCCEEDED = StepSucceeded.class.getSimpleName();
  private static final String STEP_HEARTBEAT = StepHeartbeat.class.getSimpleName();
  private static final String HOOK_COMPLETED = HookCompleted.class.getSimpleName();

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
                ConsumerConfig.CLIENT_ID_CONFIG,
                "bench-tap",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(topics.stepEvents(), topics.hookEvents(), topics.runEvents())) {
      for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    thread = new Thread(this::run, "bench-event-tap");
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
    Optional<String> type = EventHeaders.eventType(r.headers());
    Optional<String> runId = EventHeaders.runId(r.headers());
    if (type.isEmpty() || runId.isEmpty()) {
      recordDecoded(r, receivedNanos);
    } else if (r.topic().equals(topics.stepEvents())) {
      recordStep(r, type.get(), runId.get(), receivedNanos);
    } else if (r.topic().equals(topics.hookEvents())) {
      trace(runId.get())
          .hookReported(
              EventHeaders.stepKey(r.headers()).orElse(""),
              type.get().equals(HOOK_COMPLETED),
              r.timestamp(),
              receivedNanos);
    } else {
      recordRun(trace(runId.get()), type.get());
    }
  }

  /**
   * Records a step event from its headers and the record's timestamp (set by the worker's producer
   * as it sends), decoding only what the headers cannot tell: the duration of a step whose
   * StepStarted was not seen, and the error of a failure.
   */
  private void recordStep(ConsumerRecord<byte[], byte[]> r, String type, String runId, long read) {
    RunTrace trace = trace(runId);
    String stepKey = EventHeaders.stepKey(r.headers()).orElse("");
    if (type.equals(STEP_STARTED)) {
      trace.started(stepKey, r.timestamp(), read);
    } else if (type.equals(STEP_SUCCEEDED) && trace.step(stepKey).startedAt >= 0) {
      trace.succeeded(stepKey, r.timestamp(), read, -1);
    } else if (!type.equals(STEP_HEARTBEAT)) {
      recordStep(steps.deserialize(r.topic(), r.value()), read);
    }
  }

  private static void recordRun(RunTrace trace, String type) {
    if (type.equals(RunStarted.class.getSimpleName())) {
      trace.runStarted();
    } else if (type.equals(RunSucceeded.class.getSimpleName())) {
      trace.ended(true);
    } else if (type.equals(RunFailed.class.getSimpleName())) {
      trace.ended(false);
    }
  }

  /** Records an event without Opflow's headers by decoding it whole. */
  private void recordDecoded(ConsumerRecord<byte[], byte[]> r, long receivedNanos) {
    if (r.topic().equals(topics.stepEvents())) {
      recordStep(steps.deserialize(r.topic(), r.value()), receivedNanos);
    } else if (r.topic().equals(topics.hookEvents())) {
      HookEvent e = hooks.deserialize(r.topic(), r.value());
      trace(e.getRunId())
          .hookReported(
              e.getStepKey(),
              e.getPayload() instanceof HookCompleted,
              e.getTimestamp().toEpochMilli(),
              receivedNanos);
    } else {
      RunEvent e = runEvents.deserialize(r.topic(), r.value());
      recordRun(trace(e.getRunId()), e.getPayload().getClass().getSimpleName());
    }
  }

  private void recordStep(StepEvent e, long receivedNanos) {
    RunTrace trace = trace(e.getRunId());
    long at = e.getTimestamp().toEpochMilli();
    Object payload = e.getPayload();
    if (payload instanceof StepStarted) {
      trace.started(e.getStepKey(), at, receivedNanos);
    } else if (payload instanceof StepSucceeded s) {
      trace.succeeded(e.getStepKey(), at, receivedNanos, s.getDurationMillis());
    } else if (payload instanceof StepFailed f && isWorkerLost(f.getError())) {
      trace.workerLostVerdict();
    } else if (payload instanceof StepUpForRetry u && isWorkerLost(u.getError())) {
      trace.workerLostVerdict();
    }
  }

  private static boolean isWorkerLost(io.opflow.events.ErrorInfo error) {
    return io.opflow.core.ErrorInfo.WORKER_LOST.equals(error.getType());
  }

  private RunTrace trace(String runId) {
    return runs.computeIfAbsent(runId, k -> new RunTrace());
  }

  /**
   * Waits until every run has ended and has at least {@code hooksPerRun} hook events.
   *
   * @return the traces of the runs, in the order given
   * @throws IllegalStateException when the timeout passes first, saying how far it got
   */
  List<RunTrace> awaitRuns(Collection<String> runIds, int hooksPerRun, Duration timeout)
      throws InterruptedException {
    return await(runIds, t -> t.isDone(hooksPerRun), "done", timeout);
  }

  /**
   * Waits until every run's RunStarted event was read.
   *
   * @return the traces of the runs, in the order given
   * @throws IllegalStateException when the timeout passes first, saying how far it got
   */
  List<RunTrace> awaitStarted(Collection<String> runIds, Duration timeout)
      throws InterruptedException {
    return await(runIds, RunTrace::isStarted, "started", timeout);
  }

  private synchronized List<RunTrace> await(
      Collection<String> runIds, Predicate<RunTrace> condition, String what, Duration timeout)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!runIds.stream().allMatch(id -> condition.test(trace(id)))) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        long done = runIds.stream().filter(id -> condition.test(trace(id))).count();
        throw new IllegalStateException(
            String.format(
                "timed out after %s with %d of %d runs %s", timeout, done, runIds.size(), what));
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return runIds.stream().map(this::trace).map(RunTrace::copy).toList();
  }

  /**
   * Returns how many of the given runs have ended.
   *
   * @param runIds the runs
   * @return the number that ended, successfully or not
   */
  synchronized int countEnded(Collection<String> runIds) {
    return (int)
        runIds.stream().filter(id -> runs.containsKey(id) && runs.get(id).isDone(0)).count();
  }

  /** Forgets the given runs, so that their traces no longer take memory. */
  synchronized void forget(Collection<String> runIds) {
    runIds.forEach(runs::remove);
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join();
  }
}
