package io.opflow.ui.internal;

import io.opflow.ui.UiViewStatus;
import io.opflow.ui.UiViewStatus.Start;
import io.opflow.ui.internal.SnapshotCheck.Outcome;
import io.opflow.ui.internal.ViewSnapshotCodec.Snapshot;
import io.opflow.ui.internal.ViewSnapshotCodec.TopicOffsets;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the event feed starts reading, and the snapshots it leaves for the next start. With a state
 * directory, a start restores the view from its snapshot and reads on from the snapshot's offsets
 * when the snapshot is usable ({@link SnapshotCheck}), and reads every event topic from its
 * beginning otherwise; while reading, and when stopped, it writes a snapshot every interval in
 * which the feed read something. Used by the feed's thread only; the status is read by others.
 */
final class ViewRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(ViewRecovery.class);
  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(15);

  private final ViewCheckpoint checkpoint;
  private final Duration interval;
  private final Map<String, Object> adminProps;
  private final RunsView view;
  private Map<String, String> topicIds = Map.of();
  private Map<TopicPartition, Long> lastWrittenPositions = Map.of();
  private long lastWriteNanos = System.nanoTime();
  private volatile Start start = Start.STARTING;
  private volatile String reason = "waiting for the event topics";
  private volatile int restoredRuns;

  /**
   * Creates it.
   *
   * @param checkpoint the state directory, or null for none
   * @param interval how often to write a snapshot while reading
   * @param adminProps Admin client settings, for the topics' ids
   * @param view the view to restore and snapshot
   */
  ViewRecovery(
      ViewCheckpoint checkpoint, Duration interval, Map<String, Object> adminProps, RunsView view) {
    this.checkpoint = checkpoint;
    this.interval = interval;
    this.adminProps = adminProps;
    this.view = view;
  }

  /**
   * Decides where to read from, restoring the view if a snapshot allows it.
   *
   * @param consumer the feed's consumer, assigned {@code partitions}
   * @param partitions every partition of the event topics
   * @param restored told the id of every run restored
   * @return where to read on from, per partition; a partition missing reads from its beginning
   */
  Map<TopicPartition, Long> startPositions(
      KafkaConsumer<byte[], byte[]> consumer,
      List<TopicPartition> partitions,
      Consumer<String> restored) {
    if (checkpoint == null) {
      return fullRead("no state directory (--state-dir) to keep a snapshot in", false);
    }
    Optional<String> idProblem = learnTopicIds(partitions);
    if (idProblem.isPresent()) {
      return fullRead(idProblem.get(), true);
    }
    Optional<Snapshot> snapshot;
    try {
      snapshot = checkpoint.read();
    } catch (IOException | RuntimeException e) {
      return fullRead(
          "the snapshot " + checkpoint.file() + " is unreadable: " + e.getMessage(), true);
    }
    if (snapshot.isEmpty()) {
      return fullRead("no snapshot in " + checkpoint.dir() + " yet", false);
    }
    Outcome outcome =
        new SnapshotCheck(
                topicIds,
                consumer.beginningOffsets(partitions, KAFKA_TIMEOUT),
                consumer.endOffsets(partitions, KAFKA_TIMEOUT))
            .check(snapshot.get().topics());
    if (outcome.problem().isPresent()) {
      return fullRead(
          "the snapshot " + checkpoint.file() + " cannot be used: " + outcome.problem().get(),
          true);
    }
    return restore(snapshot.get(), outcome.positions(), restored);
  }

  private Map<TopicPartition, Long> restore(
      Snapshot snapshot, Map<TopicPartition, Long> positions, Consumer<String> restored) {
    view.restore(snapshot.runs(), snapshot.workersSeen());
    snapshot.runs().forEach(run -> restored.accept(run.runId));
    restoredRuns = snapshot.runs().size();
    lastWrittenPositions = positions;
    reason =
        "restored the view ("
            + restoredRuns
            + (restoredRuns == 1 ? " run" : " runs")
            + ") from the snapshot "
            + checkpoint.file()
            + " written at "
            + snapshot.writtenAt()
            + "; reading on from its offsets";
    start = Start.RESTORED;
    LOG.info("UI view: {}", reason);
    return positions;
  }

  private Map<TopicPartition, Long> fullRead(String why, boolean unexpected) {
    reason = "reading the event topics from their beginning: " + why;
    start = Start.FULL_READ;
    if (unexpected) {
      LOG.warn("UI view: {}", reason);
    } else {
      LOG.info("UI view: {}", reason);
    }
    return Map.of();
  }

  // The ids tell this cluster's topics from another's of the same name, or from a topic created
  // again; a watcher may describe the topics it reads.
  private Optional<String> learnTopicIds(Collection<TopicPartition> partitions) {
    List<String> names = partitions.stream().map(TopicPartition::topic).distinct().toList();
    try (Admin admin = Admin.create(adminProps)) {
      Map<String, TopicDescription> described =
          admin
              .describeTopics(names)
              .allTopicNames()
              .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      topicIds =
          described.values().stream()
              .collect(Collectors.toMap(TopicDescription::name, d -> d.topicId().toString()));
      return Optional.empty();
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      return Optional.of("cannot learn the event topics' ids: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while learning the event topics' ids");
    }
  }

  /**
   * Writes a snapshot when the interval has passed (or at once when {@code stopping}) and the feed
   * has read on since the last one.
   *
   * @param consumer the feed's consumer, between two polls: every record it returned is folded in
   * @param stopping whether the feed stops after this
   */
  void checkpointIfDue(KafkaConsumer<byte[], byte[]> consumer, boolean stopping) {
    if (checkpoint == null || start == Start.STARTING) {
      return;
    }
    if (!stopping && System.nanoTime() - lastWriteNanos < interval.toNanos()) {
      return;
    }
    lastWriteNanos = System.nanoTime();
    Map<TopicPartition, Long> positions = positions(consumer);
    if (positions.isEmpty() || positions.equals(lastWrittenPositions)) {
      return;
    }
    if (checkpoint.write(view, offsets(positions))) {
      lastWrittenPositions = positions;
      LOG.debug("UI view: snapshot written, {} runs", view.size());
    }
  }

  private static Map<TopicPartition, Long> positions(KafkaConsumer<byte[], byte[]> consumer) {
    Map<TopicPartition, Long> positions = new HashMap<>();
    try {
      for (TopicPartition partition : consumer.assignment()) {
        positions.put(partition, consumer.position(partition, KAFKA_TIMEOUT));
      }
      return positions;
    } catch (WakeupException | InterruptException stopping) {
      throw stopping; // close() was called: the feed writes its last snapshot and stops
    } catch (KafkaException e) {
      LOG.warn("UI view: no snapshot this time, a read position is unknown: {}", e.toString());
      return Map.of();
    }
  }

  private List<TopicOffsets> offsets(Map<TopicPartition, Long> positions) {
    Map<String, Map<Integer, Long>> byTopic = new TreeMap<>();
    positions.forEach(
        (partition, offset) ->
            byTopic
                .computeIfAbsent(partition.topic(), t -> new TreeMap<>())
                .put(partition.partition(), offset));
    List<TopicOffsets> topics = new ArrayList<>();
    byTopic.forEach(
        (topic, offsets) ->
            topics.add(new TopicOffsets(topic, topicIds.getOrDefault(topic, ""), offsets)));
    return topics;
  }

  /** Returns how the view started and how its snapshots fare. */
  UiViewStatus status(long recordsRead) {
    return new UiViewStatus(
        start,
        reason,
        restoredRuns,
        recordsRead,
        checkpoint == null ? 0 : checkpoint.written(),
        checkpoint == null ? 0 : checkpoint.failed(),
        checkpoint == null ? Optional.empty() : checkpoint.lastWritten());
  }
}
