package io.opflow.coordinator.internal;

import static io.opflow.coordinator.Jobs.node;
import static io.opflow.coordinator.Jobs.request;
import static io.opflow.coordinator.Jobs.retry;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opflow.coordinator.Jobs;
import io.opflow.events.RunEvent;
import io.opflow.events.RunSucceeded;
import io.opflow.events.StepEvent;
import io.opflow.events.StepTask;
import io.opflow.events.StepUpForRetry;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives the processor with a mock context that does not feed step-events back, so the test decides
 * where the coordinator's lost-worker verdict lands in the partition relative to the worker's own
 * result.
 */
class VerdictOrderingTest {
  private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  private static final long LEASE = 1000;
  private static final long START_TIMEOUT = 10_000;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TaskPlacement placement = new TaskPlacement(6, 60_000);
  private MockProcessorContext<String, SpecificRecord> context;
  private CoordinatorProcessor processor;

  @BeforeEach
  void start() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    context = new MockProcessorContext<>(props);
    context.setCurrentSystemTimeMs(T0);
    context.setCurrentStreamTimeMs(T0);
    addStore(CoordinatorTopology.PLANS_STORE, Json.serde(RunPlan.class));
    addStore(CoordinatorTopology.SUMMARIES_STORE, Json.serde(RunSummary.class));
    addStore(CoordinatorTopology.STEPS_STORE, Json.serde(StepRecord.class));
    addStore(CoordinatorTopology.OUTPUTS_STORE, Json.mapSerde());
    addStore(CoordinatorTopology.FINISHED_RUNS_STORE, Json.serde(FinishedRun.class));
    addStore(CoordinatorTopology.FINISHED_INDEX_STORE, Serdes.String());
    processor = newProcessor();
  }

  // A new processor over the same stores: what a restarted or moved coordinator task does.
  private CoordinatorProcessor newProcessor() {
    context.resetForwards();
    Timing timing = new Timing(LEASE, 250, 60_000, START_TIMEOUT);
    CoordinatorProcessor fresh =
        new CoordinatorProcessor(
            timing, new Limits(900 * 1024, 64), new CoordinatorMetrics(registry), placement);
    fresh.init(context);
    return fresh;
  }

  @Test
  void theWorkerResultAheadOfThePublishedVerdictWinsAndTheVerdictIsPublishedOnce() {
    process(request("r1", List.of(node("a", retry(1, 0)))));
    StepTask task = (StepTask) forwarded(CoordinatorTopology.STEP_TASKS_SINK).get(0);
    process(Jobs.started(task, "w1", Instant.ofEpochMilli(T0 + LEASE)));
    context.resetForwards();

    expireLeases(T0 + LEASE + 1);
    expireLeases(T0 + LEASE + 300);
    List<SpecificRecord> verdicts = forwarded(CoordinatorTopology.STEP_EVENTS_SINK);
    assertThat(verdicts).hasSize(1);
    StepEvent verdict = (StepEvent) verdicts.get(0);
    assertThat(verdict.getPayload()).isInstanceOf(StepUpForRetry.class);

    // The worker's success was already in the partition ahead of the verdict: it wins.
    process(Jobs.succeeded(task, "ok"));
    process(verdict);

    assertThat(forwarded(CoordinatorTopology.STEP_TASKS_SINK)).isEmpty();
    List<SpecificRecord> runEvents = forwarded(CoordinatorTopology.RUN_EVENTS_SINK);
    assertThat(((RunEvent) runEvents.get(0)).getPayload()).isInstanceOf(RunSucceeded.class);
    assertThat(registry.counter("opflow.coordinator.stale.results").count()).isEqualTo(1);
    assertThat(registry.counter("opflow.workers.lost").count()).isZero();
  }

  @Test
  void theVerdictAheadOfTheWorkerResultWins() {
    process(request("r1", List.of(node("a", retry(1, 0)))));
    StepTask task = (StepTask) forwarded(CoordinatorTopology.STEP_TASKS_SINK).get(0);
    process(Jobs.started(task, "w1", Instant.ofEpochMilli(T0 + LEASE)));
    context.resetForwards();
    expireLeases(T0 + LEASE + 1);
    StepEvent verdict = (StepEvent) forwarded(CoordinatorTopology.STEP_EVENTS_SINK).get(0);
    context.resetForwards();

    process(verdict);
    process(Jobs.succeeded(task, "late"));
    context.setCurrentSystemTimeMs(T0 + LEASE + 250);
    punctuate(1);

    StepTask retry = (StepTask) forwarded(CoordinatorTopology.STEP_TASKS_SINK).get(0);
    assertThat(retry.getAttempt()).isEqualTo(2);
    assertThat(forwarded(CoordinatorTopology.RUN_EVENTS_SINK)).isEmpty();
    assertThat(registry.counter("opflow.workers.lost").count()).isEqualTo(1);
    assertThat(registry.counter("opflow.coordinator.stale.results").count()).isEqualTo(1);
  }

  @Test
  void aCoordinatorBehindItsInputDeclaresNoWorkerLostUntilItHasReadPastTheLease() {
    process(request("r1", List.of(node("a", retry(1, 0)))));
    StepTask task = (StepTask) forwarded(CoordinatorTopology.STEP_TASKS_SINK).get(0);
    process(Jobs.started(task, "w1", Instant.ofEpochMilli(T0 + LEASE)));
    context.resetForwards();

    // Busy with records written before the lease ended: heartbeats may be among them.
    context.setCurrentSystemTimeMs(T0 + LEASE + 100);
    context.setCurrentStreamTimeMs(T0 + LEASE / 2);
    process(request("r2", List.of(node("x", retry(0, 0)))));
    context.resetForwards();
    punctuate(0);
    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK)).isEmpty();

    // It has now read a record written after the lease ended: the worker is lost.
    context.setCurrentStreamTimeMs(T0 + LEASE + 50);
    process(request("r3", List.of(node("y", retry(0, 0)))));
    context.resetForwards();
    punctuate(0);
    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK))
        .singleElement()
        .satisfies(
            v -> assertThat(((StepEvent) v).getPayload()).isInstanceOf(StepUpForRetry.class));
  }

  @Test
  void aRestoredCoordinatorGivesRunningStepsAFreshLeaseSoALiveWorkerIsNotLost() {
    process(request("r1", List.of(node("a", retry(1, 0)))));
    StepTask task = (StepTask) forwarded(CoordinatorTopology.STEP_TASKS_SINK).get(0);
    process(Jobs.started(task, "w1", Instant.ofEpochMilli(T0 + LEASE)));

    // The coordinator was away for three leases; the worker kept heartbeating meanwhile.
    context.setCurrentSystemTimeMs(T0 + 3 * LEASE);
    processor = newProcessor();
    int punctuators = context.scheduledPunctuators().size();
    context.setCurrentSystemTimeMs(T0 + 3 * LEASE + LEASE / 2);
    context.setCurrentStreamTimeMs(T0 + 3 * LEASE + LEASE / 2);
    punctuate(punctuators - 4);
    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK)).isEmpty();

    process(Jobs.heartbeat(task, "w1", Instant.ofEpochMilli(T0 + 5 * LEASE)));
    context.setCurrentSystemTimeMs(T0 + 4 * LEASE + 100);
    context.setCurrentStreamTimeMs(T0 + 4 * LEASE + 100);
    punctuate(punctuators - 4);
    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK)).isEmpty();

    process(Jobs.succeeded(task, "ok"));
    assertThat(((RunEvent) forwarded(CoordinatorTopology.RUN_EVENTS_SINK).get(0)).getPayload())
        .isInstanceOf(RunSucceeded.class);
    assertThat(registry.counter("opflow.workers.lost").count()).isZero();
  }

  @Test
  void aRestoredCoordinatorDeclaresAWorkerThatDiedWhileItWasAwayLostOneLeaseLater() {
    process(request("r1", List.of(node("a", retry(1, 0)))));
    StepTask task = (StepTask) forwarded(CoordinatorTopology.STEP_TASKS_SINK).get(0);
    process(Jobs.started(task, "w1", Instant.ofEpochMilli(T0 + LEASE)));

    context.setCurrentSystemTimeMs(T0 + 3 * LEASE);
    processor = newProcessor();
    int punctuators = context.scheduledPunctuators().size();
    context.setCurrentSystemTimeMs(T0 + 4 * LEASE + 1);
    context.setCurrentStreamTimeMs(T0 + 4 * LEASE + 1);
    punctuate(punctuators - 4);

    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK))
        .singleElement()
        .satisfies(
            v -> assertThat(((StepEvent) v).getPayload()).isInstanceOf(StepUpForRetry.class));
  }

  @Test
  void heartbeatsWriteNothingToTheStores() {
    process(request("r1", List.of(node("a", retry(1, 0)))));
    StepTask task = (StepTask) forwarded(CoordinatorTopology.STEP_TASKS_SINK).get(0);
    process(Jobs.started(task, "w1", Instant.ofEpochMilli(T0 + LEASE)));
    KeyValueStore<String, StepRecord> steps =
        context.getStateStore(CoordinatorTopology.STEPS_STORE);
    StepRecord before = steps.get("r1/a");
    steps.delete("r1/a");

    process(Jobs.heartbeat(task, "w1", Instant.ofEpochMilli(T0 + 2 * LEASE)));

    assertThat(steps.get("r1/a")).isNull();
    assertThat(before.state()).isEqualTo(io.opflow.core.lifecycle.StepState.RUNNING);
  }

  @Test
  void aQueuedStepNoWorkerStartsEndsWithStepNotStartedAndIsRetried() {
    process(request("r1", List.of(node("a", retry(1, 0)))));
    StepTask first = (StepTask) forwarded(CoordinatorTopology.STEP_TASKS_SINK).get(0);
    context.resetForwards();
    int punctuators = context.scheduledPunctuators().size();

    context.setCurrentSystemTimeMs(T0 + START_TIMEOUT - 1);
    context.setCurrentStreamTimeMs(T0 + START_TIMEOUT - 1);
    punctuate(punctuators - 2);
    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK)).isEmpty();

    context.setCurrentSystemTimeMs(T0 + START_TIMEOUT + 1);
    context.setCurrentStreamTimeMs(T0 + START_TIMEOUT + 1);
    punctuate(punctuators - 2);
    StepEvent verdict = (StepEvent) forwarded(CoordinatorTopology.STEP_EVENTS_SINK).get(0);
    StepUpForRetry retry = (StepUpForRetry) verdict.getPayload();
    assertThat(retry.getError().getType()).isEqualTo("StepNotStarted");
    assertThat(retry.getError().getMessage()).contains("no worker started step 'a' attempt 1");

    process(verdict);
    StepTask second = (StepTask) forwarded(CoordinatorTopology.STEP_TASKS_SINK).get(0);
    assertThat(second.getAttempt()).isEqualTo(first.getAttempt() + 1);
  }

  @Test
  void aStartedStepHasNoStartDeadline() {
    process(request("r1", List.of(node("a", retry(1, 0)))));
    StepTask task = (StepTask) forwarded(CoordinatorTopology.STEP_TASKS_SINK).get(0);
    process(Jobs.started(task, "w1", Instant.ofEpochMilli(T0 + 100 * LEASE)));
    context.resetForwards();
    int punctuators = context.scheduledPunctuators().size();

    context.setCurrentSystemTimeMs(T0 + START_TIMEOUT + 1);
    context.setCurrentStreamTimeMs(T0 + START_TIMEOUT + 1);
    punctuate(punctuators - 2);

    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK)).isEmpty();
  }

  @Test
  void theRetryOfAStepWhoseWorkerWasLostGoesToAPartitionOfALiveWorker() {
    process(request("r1", List.of(node("a", retry(1, 0)))));
    Record<?, ?> first = context.forwarded(CoordinatorTopology.STEP_TASKS_SINK).get(0).record();
    int lostPartition = partitionOf(first);
    process(Jobs.started((StepTask) first.value(), "w1", Instant.ofEpochMilli(T0 + LEASE)));
    int livePartition = (lostPartition + 1) % 6;
    placement.workerSeen("w2", livePartition, T0);
    context.resetForwards();

    expireLeases(T0 + LEASE + 1);
    process((StepEvent) forwarded(CoordinatorTopology.STEP_EVENTS_SINK).get(0));

    Record<?, ?> retry = context.forwarded(CoordinatorTopology.STEP_TASKS_SINK).get(0).record();
    assertThat(((StepTask) retry.value()).getAttempt()).isEqualTo(2);
    assertThat(partitionOf(retry)).isEqualTo(livePartition);
  }

  @Test
  void aWorkerWhoseClockIsAnHourBehindIsNotDeclaredLost() {
    process(request("r1", List.of(node("a", retry(1, 0)))));
    StepTask task = (StepTask) forwarded(CoordinatorTopology.STEP_TASKS_SINK).get(0);
    Instant workerNow = Instant.ofEpochMilli(T0).minusSeconds(3600);
    StepEvent started = Jobs.started(task, "w1", workerNow.plusMillis(LEASE));
    process(started);
    context.resetForwards();

    expireLeases(T0 + LEASE / 2);
    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK)).isEmpty();
    expireLeases(T0 + LEASE + 1);
    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK)).hasSize(1);
  }

  private static int partitionOf(Record<?, ?> task) {
    return Integer.parseInt(
        io.opflow.schemas.EventHeaders.lastValue(task.headers(), TaskPartitioner.HEADER)
            .orElseThrow());
  }

  private void expireLeases(long now) {
    context.setCurrentSystemTimeMs(now);
    punctuate(0);
  }

  private void punctuate(int index) {
    context
        .scheduledPunctuators()
        .get(index)
        .getPunctuator()
        .punctuate(context.currentSystemTimeMs());
  }

  private void process(SpecificRecord value) {
    processor.process(new Record<>("r1", value, context.currentSystemTimeMs()));
  }

  private List<SpecificRecord> forwarded(String child) {
    return context.forwarded(child).stream().map(f -> (SpecificRecord) f.record().value()).toList();
  }

  private <V> void addStore(String name, org.apache.kafka.common.serialization.Serde<V> values) {
    KeyValueStore<String, V> store =
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
  }
}
