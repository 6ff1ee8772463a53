package io.opflow.hooks.internal;

import io.opflow.hooks.internal.LedgerLoader.PartitionLedger;
import io.opflow.runtime.spi.PollLoop;
import io.opflow.schemas.OpflowTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hooks-runner's poll thread, on {@code step-events} and {@code run-events}. It only sorts
 * records: each owned partition has a {@link PartitionLane} that handles its records in order on
 * its own thread (hooks for step events, sensors for run events), and records that can fire nothing
 * are done at once, from their type header, without decoding. A lane that holds {@code
 * laneCapacity} unfinished records has its partition paused until it is down to half, so polling
 * goes on however slow the hooks are, and the runner is never dropped from its group for it.
 *
 * <p>Offsets are committed asynchronously, each partition only up to its first record not done: a
 * step event is done when every hook event it caused is acknowledged. Exactly-once firing per
 * idempotency key rests on the ledger of each owned step-events partition, rebuilt from the same
 * partition of {@code hook-events} on assignment (off this thread, see {@link LedgerLoader}). The
 * window left: a crash after a hook ran but before its hook event was written re-runs that hook
 * once; hooks pass {@code HookContext.idempotencyKey()} to external systems for that case.
 */
final class HooksPollLoop extends PollLoop {
  private static final Logger LOG = LoggerFactory.getLogger(HooksPollLoop.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
  // Only a revocation (lanes drained up to a bound) or a synchronous commit keeps this thread from
  // polling for long; hooks never do.
  private static final Duration MAX_SILENCE = Duration.ofMinutes(2);
  private static final long SWEEP_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

  /**
   * How lanes are bounded.
   *
   * @param laneCapacity unfinished records a lane may hold before its partition is paused
   * @param drainTimeout how long a revoked partition's lane may take to finish its record in hand
   */
  record Settings(int laneCapacity, Duration drainTimeout) {}

  private final OpflowTopics topics;
  private final LedgerLoader ledgers;
  private final StepPartitionLane.Shared stepLanes;
  private final Sensors sensors;
  private final Function<String, String> environment;
  private final HooksMetrics metrics;
  private final Settings settings;
  private final Map<TopicPartition, PartitionLane> lanes = new HashMap<>();
  private final Set<TopicPartition> paused = new HashSet<>();
  private long lastSweep = System.nanoTime();

  HooksPollLoop(
      Consumer<byte[], byte[]> consumer,
      LedgerLoader ledgers,
      StepPartitionLane.Shared stepLanes,
      Sensors sensors,
      Function<String, String> environment,
      HooksMetrics metrics,
      OpflowTopics topics,
      Settings settings) {
    super(consumer, MAX_SILENCE);
    this.ledgers = ledgers;
    this.stepLanes = stepLanes;
    this.sensors = sensors;
    this.environment = environment;
    this.metrics = metrics;
    this.topics = topics;
    this.settings = settings;
  }

  @Override
  protected List<String> topics() {
    return List.of(topics.stepEvents(), topics.runEvents());
  }

  @Override
  protected void pollOnce() {
    ConsumerRecords<byte[], byte[]> records;
    try {
      records = consumer.poll(POLL_TIMEOUT);
    } catch (RetriableException e) {
      LOG.warn("Polling failed; polling again: {}", e.toString());
      return;
    }
    markPolled();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      take(record);
      route(record);
    }
    applyBackpressure();
    sweepNowAndThen();
    commit();
  }

  private void route(ConsumerRecord<byte[], byte[]> record) {
    if (record.topic().equals(topics.stepEvents())) {
      routeStepEvent(record);
    } else {
      routeRunEvent(record);
    }
  }

  private void routeStepEvent(ConsumerRecord<byte[], byte[]> record) {
    if (EventTypes.stepMayFire(record.headers())) {
      laneFor(record).submit(record);
    } else {
      markDone(record); // started, heartbeat: nothing to fire, nothing to decode
    }
  }

  private void routeRunEvent(ConsumerRecord<byte[], byte[]> record) {
    boolean terminal = EventTypes.runTerminal(record.headers());
    if (terminal) {
      releaseRun(record);
    }
    if (sensors != null && (terminal || EventTypes.untyped(record.headers()))) {
      laneFor(record).submit(record);
    } else {
      markDone(record);
    }
  }

  // A run that ended needs no cached config or resources on the lane of its step events (the
  // topics are co-partitioned by run id; elsewhere the lane simply does not know the run).
  private void releaseRun(ConsumerRecord<byte[], byte[]> record) {
    PartitionLane lane = lanes.get(new TopicPartition(topics.stepEvents(), record.partition()));
    if (lane != null) {
      EventTypes.runId(record.headers()).ifPresent(lane::runEnded);
    }
  }

  private PartitionLane laneFor(ConsumerRecord<?, ?> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    PartitionLane lane = lanes.get(partition);
    if (lane == null) {
      // Lanes are opened on assignment; this is only a safety net.
      openLanes(List.of(partition));
      lane = lanes.get(partition);
    }
    return lane;
  }

  private void applyBackpressure() {
    List<TopicPartition> toPause = new ArrayList<>();
    List<TopicPartition> toResume = new ArrayList<>();
    for (TopicPartition partition : lanes.keySet()) {
      int unfinished = inFlight(partition);
      if (unfinished >= settings.laneCapacity() && !paused.contains(partition)) {
        toPause.add(partition);
      } else if (unfinished <= settings.laneCapacity() / 2 && paused.contains(partition)) {
        toResume.add(partition);
      }
    }
    if (!toPause.isEmpty()) {
      consumer.pause(toPause);
      paused.addAll(toPause);
    }
    if (!toResume.isEmpty()) {
      consumer.resume(toResume);
      toResume.forEach(paused::remove);
    }
    metrics.pausedPartitions(paused.size());
  }

  private void sweepNowAndThen() {
    long now = System.nanoTime();
    if (now - lastSweep < SWEEP_EVERY_NANOS) {
      return;
    }
    lastSweep = now;
    lanes.forEach(
        (partition, lane) -> {
          if (partition.topic().equals(topics.stepEvents())) {
            lane.sweep();
          }
        });
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    List<TopicPartition> added = partitions.stream().filter(tp -> !lanes.containsKey(tp)).toList();
    if (!added.isEmpty()) {
      LOG.info("Assigned {}", added);
      openLanes(added);
    }
  }

  private void openLanes(Collection<TopicPartition> partitions) {
    List<Integer> stepPartitions =
        partitions.stream()
            .filter(tp -> tp.topic().equals(topics.stepEvents()))
            .map(TopicPartition::partition)
            .toList();
    if (!stepPartitions.isEmpty()) {
      Map<Integer, CompletableFuture<PartitionLedger>> loading = ledgers.load(stepPartitions);
      loading.forEach((p, ledger) -> openStepLane(p, ledger));
    }
    List<Integer> runPartitions =
        partitions.stream()
            .filter(tp -> tp.topic().equals(topics.runEvents()))
            .map(TopicPartition::partition)
            .toList();
    if (sensors != null && !runPartitions.isEmpty()) {
      ledgers
          .load(runPartitions, topics.runEvents())
          .forEach(
              (p, ledger) ->
                  open(
                      new TopicPartition(topics.runEvents(), p),
                      new SensorPartitionLane(sensors, stepLanes, ledger)));
    }
  }

  private void openStepLane(int partition, CompletableFuture<PartitionLedger> ledger) {
    RunCache runs = new RunCache(environment, System::nanoTime);
    open(
        new TopicPartition(topics.stepEvents(), partition),
        new StepPartitionLane(stepLanes, ledger, runs));
  }

  private void open(TopicPartition partition, PartitionLaneHandler handler) {
    lanes.put(partition, new PartitionLane(partition, handler, this::markDone, this::fail));
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    long start = System.nanoTime();
    drain(removeLanes(partitions), settings.drainTimeout());
    try {
      commitAndWait();
    } catch (KafkaException e) {
      // Not fatal: the next owner reads the records again, and its ledger keeps each hook that
      // already has a hook event from firing twice.
      LOG.warn("Committing offsets of revoked partitions {} failed: {}", partitions, e.toString());
    }
    forget(partitions);
    LOG.info("Revoked {} in {} ms", partitions, (System.nanoTime() - start) / 1_000_000);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    LOG.warn(
        "Lost partitions {}: this runner was dropped from its group; it rejoins, and their records"
            + " not yet committed are read again",
        partitions);
    metrics.partitionsLost(partitions.size());
    drain(removeLanes(partitions), Duration.ZERO);
    forget(partitions);
  }

  private List<PartitionLane> removeLanes(Collection<TopicPartition> partitions) {
    List<PartitionLane> removed = new ArrayList<>();
    partitions.forEach(
        tp -> {
          PartitionLane lane = lanes.remove(tp);
          if (lane != null) {
            removed.add(lane);
          }
        });
    return removed;
  }

  // All lanes stop starting new work at once, then share one bound to finish what they hold.
  private static void drain(List<PartitionLane> draining, Duration timeout) {
    draining.forEach(PartitionLane::startClosing);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (PartitionLane lane : draining) {
      lane.drain(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
  }

  private void forget(Collection<TopicPartition> partitions) {
    forgetOffsets(partitions);
    paused.removeAll(partitions);
  }

  @Override
  protected void beforeClose() {
    if (failure() != null) {
      LOG.error(
          "The hooks-runner stops for good and reports itself unhealthy: {}. Restart it; records"
              + " not done are read again from the last committed offsets.",
          failure().toString());
    }
    Duration bound = failure() == null ? settings.drainTimeout() : Duration.ZERO;
    List<TopicPartition> all = new ArrayList<>(lanes.keySet());
    drain(removeLanes(all), bound);
    ledgers.close();
  }
}
