package io.opflow.coordinator.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.OpflowTopics;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The coordinator's Kafka Streams topology, and the one place its node, store and key names are
 * defined.
 *
 * <pre>
 * runs ────────┐                       ┌──> step-tasks  (key runId/stepKey)
 *              ├──> coordinator [runs, finished-runs stores] ──> step-events (key runId)
 * step-events ─┘                       └──> run-events  (key runId)
 * </pre>
 *
 * <p>The coordinator reads its own {@code step-events} output (lost-worker verdicts, skips): it is
 * both a source and a sink, so the partition order of that topic decides which terminal event of an
 * attempt wins.
 */
public final class CoordinatorTopology {
  /** Store of the immutable plans of active runs, keyed by run id; written once per run. */
  public static final String PLANS_STORE = "run-plans";

  /** Store of the small changing summaries of active runs, keyed by run id. */
  public static final String SUMMARIES_STORE = "run-summaries";

  /** Store of the steps of active runs that left pending, keyed by run id and step key. */
  public static final String STEPS_STORE = "run-steps";

  /** Store of the outputs of succeeded steps of active runs, keyed by run id and step key. */
  public static final String OUTPUTS_STORE = "step-outputs";

  /** Store of the small records of finished runs, keyed by run id. */
  public static final String FINISHED_RUNS_STORE = "finished-runs";

  /** Index of finished runs by finish time, for purging them after their retention. */
  public static final String FINISHED_INDEX_STORE = "finished-runs-by-time";

  static final String RUNS_SOURCE = "runs-source";
  static final String STEP_EVENTS_SOURCE = "step-events-source";
  static final String PROCESSOR = "coordinator";
  static final String STEP_TASKS_SINK = "step-tasks-sink";
  static final String STEP_EVENTS_SINK = "step-events-sink";
  static final String RUN_EVENTS_SINK = "run-events-sink";

  private CoordinatorTopology() {}

  /**
   * Returns the key of a step task: run id and step key joined by {@code /}.
   *
   * @param runId the run id
   * @param stepKey the step key
   * @return the record key
   */
  public static String taskKey(String runId, String stepKey) {
    return runId + "/" + stepKey;
  }

  /**
   * What the coordinator passes on in one record.
   *
   * @param maxInlineBytes the largest outputs of one step, and inputs of one task, in bytes
   * @param chainMaxSteps the most steps after its own that one task may chain; 0 for none
   */
  public record Bounds(long maxInlineBytes, int chainMaxSteps) {}

  /**
   * Builds the topology.
   *
   * @param topics the topic names
   * @param timing lease, punctuation interval and finished-run retention
   * @param bounds what the coordinator passes on in one record
   * @param taskPartitions the partition count of {@code step-tasks}
   * @param registry where the coordinator's meters go
   * @return the topology
   */
  public static Topology build(
      OpflowTopics topics,
      TimeSettings timing,
      Bounds bounds,
      int taskPartitions,
      MeterRegistry registry) {
    Serde<String> keys = Serdes.String();
    CoordinatorMetrics metrics = new CoordinatorMetrics(registry);
    Topology topology = new Topology();
    topology.addSource(
        RUNS_SOURCE,
        keys.deserializer(),
        RequiredValue.of(OpflowSerdes.runCommands().deserializer()),
        topics.runs());
    topology.addSource(
        STEP_EVENTS_SOURCE,
        keys.deserializer(),
        RequiredValue.of(OpflowSerdes.stepEvents().deserializer()),
        topics.stepEvents());
    Limits limits = new Limits(bounds.maxInlineBytes(), bounds.chainMaxSteps());
    // One placement for every stream task of this coordinator: what one task learns of which
    // worker reads which step-tasks partition serves the others.
    TaskPlacement placement = new TaskPlacement(taskPartitions, 6 * timing.leaseMillis());
    topology.addProcessor(
        PROCESSOR,
        () -> new CoordinatorProcessor(timing, limits, metrics, placement),
        RUNS_SOURCE,
        STEP_EVENTS_SOURCE);
    topology.addStateStore(store(PLANS_STORE, StoreJson.serde(RunPlan.class)), PROCESSOR);
    topology.addStateStore(store(SUMMARIES_STORE, StoreJson.serde(RunSummary.class)), PROCESSOR);
    topology.addStateStore(store(STEPS_STORE, StoreJson.serde(StepRecord.class)), PROCESSOR);
    topology.addStateStore(store(OUTPUTS_STORE, StoreJson.mapSerde()), PROCESSOR);
    topology.addStateStore(
        store(FINISHED_RUNS_STORE, StoreJson.serde(FinishedRun.class)), PROCESSOR);
    topology.addStateStore(store(FINISHED_INDEX_STORE, Serdes.String()), PROCESSOR);
    addSinks(topology, topics, keys);
    return topology;
  }

  private static void addSinks(Topology topology, OpflowTopics topics, Serde<String> keys) {
    topology.addSink(
        STEP_TASKS_SINK,
        topics.stepTasks(),
        keys.serializer(),
        OpflowSerdes.stepTasks().serializer(),
        new TaskPartitioner(),
        PROCESSOR);
    topology.addSink(
        STEP_EVENTS_SINK,
        topics.stepEvents(),
        keys.serializer(),
        OpflowSerdes.stepEvents().serializer(),
        PROCESSOR);
    topology.addSink(
        RUN_EVENTS_SINK,
        topics.runEvents(),
        keys.serializer(),
        OpflowSerdes.runEvents().serializer(),
        PROCESSOR);
  }

  // Persistent and changelog-backed (the default): a restarted or moved coordinator task
  // restores every run from the changelog. Cached: a key written several times within one commit
  // (a step queued, running and ended; a run's summary as its steps end) goes to RocksDB and the
  // changelog once, with its last value, when the commit flushes the cache. Exactly-once holds as
  // before: the flush is part of the commit's transaction.
  private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(name), Serdes.String(), values)
        .withCachingEnabled();
  }
}
