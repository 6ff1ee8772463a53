package io.opflow.ui.internal;

import io.opflow.client.spi.EventConsumer;
import io.opflow.events.HookEvent;
import io.opflow.events.RunEvent;
import io.opflow.events.StepEvent;
import io.opflow.protocol.RunCommand;
import io.opflow.protocol.RunRequested;
import io.opflow.schemas.AvroEventSerde;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.OpflowTopics;
import io.opflow.ui.UiViewStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the run requests (for each run's graph and config) and the run, step and hook event topics
 * from their beginning, or from a snapshot's offsets after restoring the view from it ({@link
 * ViewRecovery}), with no consumer group and only committed records, folds every record into a
 * {@link RunsView} and tells a listener which run changed. Records it cannot decode are counted and
 * skipped (the roles dead-letter them; the UI only looks). Runs on a thread of its own until {@link
 * #close()}.
 */
public final class EventFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration WAIT_FOR_TOPICS = Duration.ofSeconds(2);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final OpflowTopics topics;
  private final RunsView view;
  private final Consumer<String> changed;
  private final AvroEventSerde<StepEvent> steps = OpflowSerdes.stepEvents();
  private final AvroEventSerde<HookEvent> hooks = OpflowSerdes.hookEvents();
  private final AvroEventSerde<RunEvent> runs = OpflowSerdes.runEvents();
  private final AvroEventSerde<RunCommand> commands = OpflowSerdes.runCommands();
  private final AtomicLong undecodable = new AtomicLong();
  private final AtomicLong recordsRead = new AtomicLong();
  private final ViewRecovery recovery;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean positioned;

  /**
   * Starts reading from the topics' beginning, keeping no snapshot.
   *
   * @param kafkaProps Kafka client settings, at least {@code bootstrap.servers}
   * @param topics the topic names
   * @param view where events go
   * @param changed told the run id of every event folded in
   */
  public EventFeed(
      Map<String, Object> kafkaProps,
      OpflowTopics topics,
      RunsView view,
      Consumer<String> changed) {
    this(kafkaProps, topics, view, changed, null, Duration.ofDays(1));
  }

  /**
   * Starts reading, from the snapshot in {@code checkpoint} if it is usable.
   *
   * @param kafkaProps Kafka client settings, at least {@code bootstrap.servers}
   * @param topics the topic names
   * @param view where events go
   * @param changed told the run id of every event folded in, and of every run restored
   * @param checkpoint the state directory, or null for none
   * @param checkpointInterval how often to write a snapshot while reading
   */
  public EventFeed(
      Map<String, Object> kafkaProps,
      OpflowTopics topics,
      RunsView view,
      Consumer<String> changed,
      ViewCheckpoint checkpoint,
      Duration checkpointInterval) {
    this.recovery = new ViewRecovery(checkpoint, checkpointInterval, kafkaProps, view);
    this.consumer = new KafkaConsumer<>(consumerProps(kafkaProps));
    this.topics = topics;
    this.view = view;
    this.changed = changed;
    this.thread = new Thread(this::run, "opflow-ui-feed");
    thread.setDaemon(true);
    thread.start();
  }

  // As every reader of the event topics: no group, no commits, bytes, committed records only.
  private static Map<String, Object> consumerProps(Map<String, Object> kafkaProps) {
    Map<String, Object> props = new HashMap<>(EventConsumer.consumerProps(kafkaProps));
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "opflow-ui");
    // Should retention pass the feed's position (or a snapshot's, between its check and the first
    // fetch), read what is left rather than jump to the end.
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return props;
  }

  /** Returns how many records could not be decoded and were skipped. */
  public long undecodable() {
    return undecodable.get();
  }

  /** Returns how the view started, how many records were read since, and how snapshots fare. */
  public UiViewStatus status() {
    return recovery.status(recordsRead.get());
  }

  /** Returns why the feed stopped, if it stopped on an error. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure.get());
  }

  /** Returns whether the feed is reading. */
  public boolean isRunning() {
    return thread.isAlive() && failure.get() == null;
  }

  private void run() {
    try {
      assignAll();
      while (!Thread.currentThread().isInterrupted()) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        for (ConsumerRecord<byte[], byte[]> record : records) {
          fold(record);
        }
        recordsRead.addAndGet(records.count());
        recovery.checkpointIfDue(consumer, false);
      }
    } catch (WakeupException | InterruptedException stopping) {
      // close() was called: every record polled is folded in
      if (positioned) {
        recovery.checkpointIfDue(consumer, true);
      }
    } catch (RuntimeException e) {
      LOG.error("The UI's event feed stopped: {}", e.toString(), e);
      failure.set(e);
    } finally {
      consumer.close();
    }
  }

  // Waits for the event topics to exist (the roles create them), then reads them from the start or
  // from a snapshot's offsets.
  private void assignAll() throws InterruptedException {
    List<String> names =
        List.of(topics.runs(), topics.runEvents(), topics.stepEvents(), topics.hookEvents());
    while (true) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : names) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos != null) {
          infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
      }
      if (!partitions.isEmpty()) {
        consumer.assign(partitions);
        Map<TopicPartition, Long> positions =
            recovery.startPositions(consumer, partitions, changed);
        for (TopicPartition partition : partitions) {
          Long position = positions.get(partition);
          if (position == null) {
            consumer.seekToBeginning(List.of(partition));
          } else {
            consumer.seek(partition, position);
          }
        }
        positioned = true;
        return;
      }
      LOG.info("No Opflow event topics yet; looking again in {}", WAIT_FOR_TOPICS);
      Thread.sleep(WAIT_FOR_TOPICS.toMillis());
    }
  }

  private void fold(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      return; // a lease probe, or a record no Opflow role writes
    }
    String runId;
    try {
      if (record.topic().equals(topics.stepEvents())) {
        StepEvent event = steps.deserialize(record.topic(), record.value());
        view.apply(event);
        runId = event.getRunId();
      } else if (record.topic().equals(topics.hookEvents())) {
        HookEvent event = hooks.deserialize(record.topic(), record.value());
        view.apply(event);
        runId = event.getRunId();
      } else if (record.topic().equals(topics.runs())) {
        RunCommand command = commands.deserialize(record.topic(), record.value());
        if (!(command.getPayload() instanceof RunRequested requested)) {
          return; // a cancel request: the run's events say what it did
        }
        view.apply(requested);
        runId = requested.getRunId();
      } else {
        RunEvent event = runs.deserialize(record.topic(), record.value());
        view.apply(event);
        runId = event.getRunId();
      }
    } catch (RuntimeException e) {
      undecodable.incrementAndGet();
      LOG.debug(
          "Skipping an undecodable record on {} (key {}): {}",
          record.topic(),
          record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
          e.toString());
      return;
    }
    changed.accept(runId);
  }

  /** Stops reading and closes the consumer. */
  @Override
  public void close() throws InterruptedException {
    consumer.wakeup();
    thread.join(Duration.ofSeconds(10).toMillis());
  }
}
