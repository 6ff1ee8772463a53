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
  /** Store of active runs, keyed by run id. */
  public static final String RUNS_STORE = "runs";

  /** Store of the small records of finished runs, keyed by run id. */
  public static final String FINISHED_RUNS_STORE = "finished-runs";

  /** Store of each active run's next lease end or retry time, keyed by run id. */
  public static final String DEADLINES_STORE = "run-deadlines";

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
   * Builds the topology.
   *
   * @param topics the topic names
   * @param timing lease, punctuation interval and finished-run retention
   * @param registry where the coordinator's meters go
   * @return the topology
   */
  public static Topology build(OpflowTopics topics, Timing timing, MeterRegistry registry) {
    Serde<String> keys = Serdes.String();
    CoordinatorMetrics metrics = new CoordinatorMetrics(registry);
    Topology topology = new Topology();
    topology.addSource(
        RUNS_SOURCE, keys.deserializer(), OpflowSerdes.runCommands().deserializer(), topics.runs());
    topology.addSource(
        STEP_EVENTS_SOURCE,
        keys.deserializer(),
        OpflowSerdes.stepEvents().deserializer(),
        topics.stepEvents());
    topology.addProcessor(
        PROCESSOR,
        () -> new CoordinatorProcessor(timing, metrics),
        RUNS_SOURCE,
        STEP_EVENTS_SOURCE);
    topology.addStateStore(runsStore(), PROCESSOR);
    topology.addStateStore(finishedRunsStore(), PROCESSOR);
    topology.addStateStore(deadlinesStore(), PROCESSOR);
    topology.addStateStore(finishedIndexStore(), PROCESSOR);
    addSinks(topology, topics, keys);
    return topology;
  }

  private static void addSinks(Topology topology, OpflowTopics topics, Serde<String> keys) {
    topology.addSink(
        STEP_TASKS_SINK,
        topics.stepTasks(),
        keys.serializer(),
        OpflowSerdes.stepTasks().serializer(),
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
  // restores every run from the changelog.
  private static StoreBuilder<KeyValueStore<String, RunState>> runsStore() {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(RUNS_STORE), Serdes.String(), Json.serde(RunState.class));
  }

  private static StoreBuilder<KeyValueStore<String, String>> finishedIndexStore() {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(FINISHED_INDEX_STORE), Serdes.String(), Serdes.String());
  }

  private static StoreBuilder<KeyValueStore<String, Long>> deadlinesStore() {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(DEADLINES_STORE), Serdes.String(), Serdes.Long());
  }

  private static StoreBuilder<KeyValueStore<String, FinishedRun>> finishedRunsStore() {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(FINISHED_RUNS_STORE),
        Serdes.String(),
        Json.serde(FinishedRun.class));
  }
}
