package io.opflow.hooks.internal;

import io.opflow.events.RunEvent;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepSkipped;
import io.opflow.events.StepSucceeded;
import io.opflow.runtime.DeadLetters;
import io.opflow.runtime.internal.PollLoop;
import io.opflow.schemas.AvroEventSerde;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.OpflowTopics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
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
final class EventLoop extends PollLoop {
  private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
  // Hooks run on this thread and may take up to their timeout each.
  private static final Duration MAX_SILENCE = Duration.ofMinutes(10);

  private final LedgerReader ledgerReader;
  private final StepHooks hooks;
  private final Sensors sensors;
  private final DeadLetters deadLetters;
  private final OpflowTopics topics;
  private final AvroEventSerde<StepEvent> stepSerde = OpflowSerdes.stepEvents();
  private final AvroEventSerde<RunEvent> runSerde = OpflowSerdes.runEvents();
  private final Map<Integer, HookLedger> ledgers = new HashMap<>();
  private boolean samePartitionCount;

  EventLoop(
      Consumer<byte[], byte[]> consumer,
      LedgerReader ledgerReader,
      StepHooks hooks,
      Sensors sensors,
      DeadLetters deadLetters,
      OpflowTopics topics) {
    super(consumer, MAX_SILENCE);
    this.ledgerReader = ledgerReader;
    this.hooks = hooks;
    this.sensors = sensors;
    this.deadLetters = deadLetters;
    this.topics = topics;
  }

  @Override
  protected List<String> topics() {
    return List.of(topics.stepEvents(), topics.runEvents());
  }

  @Override
  protected void beforeClose() {
    ledgerReader.close();
  }

  @Override
  protected void pollOnce() {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
      take(record);
      handle(record);
      markDone(record);
    }
    markPolled();
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
    commitAndWait();
    forget(partitions);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    forgetOffsets(partitions);
    forget(partitions);
  }

  private void forget(Collection<TopicPartition> partitions) {
    partitions.stream()
        .filter(tp -> tp.topic().equals(topics.stepEvents()))
        .forEach(tp -> ledgers.remove(tp.partition()));
  }
}
