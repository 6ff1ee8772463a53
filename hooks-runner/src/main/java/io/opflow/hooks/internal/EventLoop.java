package io.opflow.hooks.internal;

import io.opflow.events.RunEvent;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepSkipped;
import io.opflow.events.StepSucceeded;
import io.opflow.runtime.DeadLetters;
import io.opflow.schemas.AvroEventSerde;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.OpflowTopics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hooks-runner's poll thread, on {@code step-events} and {@code run-events}. For the first
 * terminal event of each step attempt it fires the step's hooks; for terminal run events it runs
 * the sensors. Offsets are committed only after the hook events are written.
 *
 * <p>Exactly-once firing per idempotency key rests on the ledger of each owned step-events
 * partition, rebuilt from the same partition of {@code hook-events} on assignment. The window left:
 * a crash after a hook ran but before its hook event was written re-runs that hook once; hooks pass
 * {@code HookContext.idempotencyKey()} to external systems for that case.
 */
final class EventLoop implements Runnable, ConsumerRebalanceListener {
  private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

  private final Consumer<byte[], byte[]> consumer;
  private final LedgerReader ledgerReader;
  private final StepHooks hooks;
  private final Sensors sensors;
  private final DeadLetters deadLetters;
  private final OpflowTopics topics;
  private final AvroEventSerde<StepEvent> stepSerde = OpflowSerdes.stepEvents();
  private final AvroEventSerde<RunEvent> runSerde = OpflowSerdes.runEvents();
  private final Map<Integer, HookLedger> ledgers = new HashMap<>();
  private final Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
  private boolean samePartitionCount;
  private volatile boolean stopping;
  private volatile Throwable failure;
  private volatile long lastPollNanos = System.nanoTime();

  EventLoop(
      Consumer<byte[], byte[]> consumer,
      LedgerReader ledgerReader,
      StepHooks hooks,
      Sensors sensors,
      DeadLetters deadLetters,
      OpflowTopics topics) {
    this.consumer = consumer;
    this.ledgerReader = ledgerReader;
    this.hooks = hooks;
    this.sensors = sensors;
    this.deadLetters = deadLetters;
    this.topics = topics;
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(topics.stepEvents(), topics.runEvents()), this);
      while (!stopping) {
        pollOnce();
      }
    } catch (WakeupException e) {
      if (!stopping) {
        failure = e;
      }
    } catch (Throwable e) {
      failure = e;
      LOG.error("Hooks-runner event loop stopped on an error", e);
    } finally {
      ledgerReader.close();
      consumer.close();
    }
  }

  void stop() {
    stopping = true;
    consumer.wakeup();
  }

  boolean isHealthy() {
    long sincePoll = System.nanoTime() - lastPollNanos;
    return failure == null && !stopping && sincePoll < TimeUnit.MINUTES.toNanos(10);
  }

  private void pollOnce() {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
      handle(record);
      toCommit.put(
          new TopicPartition(record.topic(), record.partition()),
          new OffsetAndMetadata(record.offset() + 1));
    }
    lastPollNanos = System.nanoTime();
    commit();
  }

  private void handle(ConsumerRecord<byte[], byte[]> record) {
    try {
      if (record.topic().equals(topics.stepEvents())) {
        onStepEvent(record);
      } else {
        sensors.react(runSerde.deserialize(record.topic(), requireValue(record)));
      }
    } catch (KafkaException e) {
      if (e instanceof org.apache.kafka.common.errors.SerializationException) {
        deadLetters.send(record, e);
        return;
      }
      throw e;
    } catch (RuntimeException e) {
      deadLetters.send(record, e);
    }
  }

  private void onStepEvent(ConsumerRecord<byte[], byte[]> record) {
    StepEvent event = stepSerde.deserialize(record.topic(), requireValue(record));
    if (!isTerminal(event)) {
      return;
    }
    HookLedger ledger = ledgers.computeIfAbsent(record.partition(), p -> new HookLedger());
    String attempt =
        HookLedger.attemptKey(event.getRunId(), event.getStepKey(), event.getAttempt());
    if (!ledger.claim(attempt, record.offset())) {
      LOG.info("Ignoring a later terminal event of step attempt {}: hooks already fired", attempt);
      return;
    }
    Integer partition = samePartitionCount ? record.partition() : null;
    hooks.fire(event, record.offset(), partition, ledger);
  }

  private static boolean isTerminal(StepEvent event) {
    Object payload = event.getPayload();
    // StepUpForRetry is not terminal: a retried attempt fires no failure hook.
    return payload instanceof StepSucceeded
        || payload instanceof StepFailed
        || payload instanceof StepSkipped;
  }

  private static byte[] requireValue(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      throw new IllegalArgumentException("record has no value");
    }
    return record.value();
  }

  private void commit() {
    if (!toCommit.isEmpty()) {
      consumer.commitSync(toCommit);
      toCommit.clear();
    }
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    List<Integer> stepPartitions =
        partitions.stream()
            .filter(tp -> tp.topic().equals(topics.stepEvents()))
            .map(TopicPartition::partition)
            .toList();
    if (stepPartitions.isEmpty()) {
      return;
    }
    int hookPartitions = ledgerReader.partitionCount();
    int stepCount = consumer.partitionsFor(topics.stepEvents()).size();
    samePartitionCount = hookPartitions == stepCount;
    for (int p : stepPartitions) {
      ledgers.put(p, ledgerReader.read(ledgerPartitions(p, hookPartitions)));
    }
  }

  private List<Integer> ledgerPartitions(int stepPartition, int hookPartitions) {
    if (samePartitionCount) {
      return List.of(stepPartition);
    }
    LOG.warn(
        "{} and {} have different partition counts; reading every hook-events partition",
        topics.stepEvents(),
        topics.hookEvents());
    return IntStream.range(0, hookPartitions).boxed().toList();
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    commit();
    forget(partitions);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    toCommit.keySet().removeAll(partitions);
    forget(partitions);
  }

  private void forget(Collection<TopicPartition> partitions) {
    partitions.stream()
        .filter(tp -> tp.topic().equals(topics.stepEvents()))
        .forEach(tp -> ledgers.remove(tp.partition()));
  }
}
