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
import io.opflow.events.StepUpForRetry;
import io.opflow.protocol.StepTask;
import io.opflow.schemas.EventHeaders;
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
  private int probesReadBack;

  @BeforeEach
  void start() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    context = new MockProcessorContext<>(props);
    context.setCurrentSystemTimeMs(T0);
    context.setCurrentStreamTimeMs(T0);
    addStore(CoordinatorTopology.PLANS_STORE, StoreJson.serde(RunPlan.class));
    addStore(CoordinatorTopology.SUMMARIES_STORE, StoreJson.serde(RunSummary.class));
    addStore(CoordinatorTopology.STEPS_STORE, StoreJson.serde(StepRecord.class));
    addStore(CoordinatorTopology.OUTPUTS_STORE, StoreJson.mapSerde());
    addStore(CoordinatorTopology.FINISHED_RUNS_STORE, StoreJson.serde(FinishedRun.class));
    addStore(CoordinatorTopology.FINISHED_INDEX_STORE, Serdes.String());
    processor = newProcessor();
  }

  // A new processor over the same stores: what a restarted or moved coordinator task does.
  private CoordinatorProcessor newProcessor() {
    resetForwards();
    TimeSettings timing = new TimeSettings(LEASE, 250, 60_000, START_TIMEOUT);
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
    resetForwards();

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
    resetForwards();
    expireLeases(T0 + LEASE + 1);
    StepEvent verdict = (StepEvent) forwarded(CoordinatorTopology.STEP_EVENTS_SINK).get(0);
    resetForwards();

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
    resetForwards();

    // The lease ended, but no probe sent after its end has come back: heartbeats may be waiting.
    expireLeasesUnanswered(T0 + LEASE + 100);
    expireLeasesUnanswered(T0 + LEASE + 400);
    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK)).isEmpty();
    assertThat(probesSent()).as("one probe per punctuation at most").hasSize(2);

    // Behind its input, the coordinator reads its probes late: whatever was written meanwhile
    // may be a heartbeat, so the lease counts afresh from now.
    context.setCurrentSystemTimeMs(T0 + LEASE + 700);
    readBackProbes();
    expireLeases(T0 + 2 * LEASE + 600);
    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK)).isEmpty();

    // Caught up, it reads its probes at once: past the renewed lease, the worker is lost.
    expireLeases(T0 + 2 * LEASE + 800);
    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK))
        .singleElement()
        .satisfies(
            v -> assertThat(((StepEvent) v).getPayload()).isInstanceOf(StepUpForRetry.class));
  }

  @Test
  void aPartitionThatAnswersNoProbeNeverDeclaresAWorkerLost() {
    process(request("r1", List.of(node("a", retry(1, 0)))));
    StepTask task = (StepTask) forwarded(CoordinatorTopology.STEP_TASKS_SINK).get(0);
    process(Jobs.started(task, "w1", Instant.ofEpochMilli(T0 + LEASE)));
    resetForwards();

    for (long now = T0 + LEASE / 2; now < T0 + 20 * LEASE; now += 250) {
      expireLeasesUnanswered(now);
    }

    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK)).isEmpty();
    assertThat(registry.counter("opflow.workers.lost").count()).isZero();
  }

  @Test
  void aProbeReadBackLateRenewsTheLeasesSoHeartbeatsHeldUpByAStalledPartitionStillCount() {
    process(request("r1", List.of(node("a", retry(1, 0)))));
    StepTask task = (StepTask) forwarded(CoordinatorTopology.STEP_TASKS_SINK).get(0);
    process(Jobs.started(task, "w1", Instant.ofEpochMilli(T0 + LEASE)));
    resetForwards();

    // Half the lease without a heartbeat read: the coordinator probes. Then the partition's
    // leader dies; probe and heartbeats alike wait for a new one, three leases long.
    expireLeasesUnanswered(T0 + LEASE / 2 + 1);
    assertThat(probesSent()).hasSize(1);
    context.setCurrentSystemTimeMs(T0 + 3 * LEASE);
    readBackProbes();
    // The late probe came first: the lease counts afresh from now, and prompt probes after it
    // prove nothing against the heartbeats still on their way.
    expireLeases(T0 + 3 * LEASE + LEASE / 2);
    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK)).isEmpty();
    assertThat(registry.counter("opflow.coordinator.leases.renewed.after.stall").count())
        .isEqualTo(1);

    process(Jobs.heartbeat(task, "w1", Instant.ofEpochMilli(T0 + 5 * LEASE)));
    expireLeases(T0 + 4 * LEASE + 100);
    process(Jobs.succeeded(task, "ok"));

    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK)).isEmpty();
    assertThat(((RunEvent) forwarded(CoordinatorTopology.RUN_EVENTS_SINK).get(0)).getPayload())
        .isInstanceOf(RunSucceeded.class);
    assertThat(registry.counter("opflow.workers.lost").count()).isZero();
  }

  @Test
  void aStreamThreadStalledBeforeItSentAProbeRenewsTheLeasesSoHeldUpResultsStillCount() {
    process(request("r1", List.of(node("a", retry(1, 0)))));
    StepTask task = (StepTask) forwarded(CoordinatorTopology.STEP_TASKS_SINK).get(0);
    process(Jobs.started(task, "w1", Instant.ofEpochMilli(T0 + LEASE)));
    resetForwards();
    context.setCurrentSystemTimeMs(T0 + LEASE / 4);
    punctuate(STALL_WATCH);

    // A Kafka node dies before the lease's second half: the stream thread waits in a commit, so
    // it sends no probe, and the worker's heartbeats and result wait in the worker's producer.
    // The partitions have leaders again when the thread runs on: its probes come back promptly.
    context.setCurrentSystemTimeMs(T0 + 3 * LEASE);
    punctuate(STALL_WATCH);
    expireLeases(T0 + 3 * LEASE + 100);
    expireLeases(T0 + 3 * LEASE + LEASE / 2);

    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK)).isEmpty();
    assertThat(registry.counter("opflow.coordinator.leases.renewed.after.stall").count())
        .isEqualTo(1);
    process(Jobs.succeeded(task, "ok"));
    assertThat(((RunEvent) forwarded(CoordinatorTopology.RUN_EVENTS_SINK).get(0)).getPayload())
        .isInstanceOf(RunSucceeded.class);
    assertThat(registry.counter("opflow.workers.lost").count()).isZero();
  }

  @Test
  void aStreamThreadStalledPastAStartDeadlineWaitsALeaseForTheStepStartedHeldUpMeanwhile() {
    process(request("r1", List.of(node("a", retry(1, 0)))));
    StepTask task = (StepTask) forwarded(CoordinatorTopology.STEP_TASKS_SINK).get(0);
    resetForwards();
    context.setCurrentSystemTimeMs(T0 + START_TIMEOUT - LEASE);
    punctuate(STALL_WATCH);

    // The thread waits in a commit across the deadline; the worker's StepStarted waits in its
    // producer, and comes in only after the thread's first prompt probe.
    context.setCurrentSystemTimeMs(T0 + START_TIMEOUT + LEASE);
    punctuate(STALL_WATCH);
    judge(START_DEADLINE_PUNCTUATION);
    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK)).isEmpty();
    process(Jobs.started(task, "w1", Instant.ofEpochMilli(T0 + START_TIMEOUT + 3 * LEASE)));

    context.setCurrentSystemTimeMs(T0 + START_TIMEOUT + 2 * LEASE + 100);
    judge(START_DEADLINE_PUNCTUATION);
    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK)).isEmpty();
    assertThat(forwarded(CoordinatorTopology.STEP_TASKS_SINK)).isEmpty();
  }

  @Test
  void aStreamThreadThatRunsOnTimeRenewsNothingAndADeadWorkerIsStillLost() {
    process(request("r1", List.of(node("a", retry(1, 0)))));
    StepTask task = (StepTask) forwarded(CoordinatorTopology.STEP_TASKS_SINK).get(0);
    process(Jobs.started(task, "w1", Instant.ofEpochMilli(T0 + LEASE)));
    resetForwards();

    for (long now = T0 + 250; now <= T0 + LEASE + 250; now += 250) {
      context.setCurrentSystemTimeMs(now);
      punctuate(STALL_WATCH);
      expireLeases(now);
    }

    assertThat(registry.counter("opflow.coordinator.leases.renewed.after.stall").count()).isZero();
    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK))
        .singleElement()
        .satisfies(
            v -> assertThat(((StepEvent) v).getPayload()).isInstanceOf(StepUpForRetry.class));
  }

  @Test
  void aProbeOfAnEarlierIncarnationOfTheTaskProvesNothing() {
    process(request("r1", List.of(node("a", retry(1, 0)))));
    StepTask task = (StepTask) forwarded(CoordinatorTopology.STEP_TASKS_SINK).get(0);
    process(Jobs.started(task, "w1", Instant.ofEpochMilli(T0 + LEASE)));
    // The task's earlier home had a clock far ahead of this one.
    expireLeasesUnanswered(T0 + 10 * LEASE);
    List<Record<?, ?>> earlier = probesSent();
    assertThat(earlier).hasSize(1);

    context.setCurrentSystemTimeMs(T0 + LEASE);
    processor = newProcessor();
    context.setCurrentSystemTimeMs(T0 + 2 * LEASE + 100);
    processor.process(
        new Record<String, SpecificRecord>(
            (String) earlier.get(0).key(),
            null,
            context.currentSystemTimeMs(),
            earlier.get(0).headers()));
    punctuate(LEASE_PUNCTUATION);

    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK)).isEmpty();
  }

  @Test
  void aRestoredCoordinatorGivesRunningStepsAFreshLeaseSoALiveWorkerIsNotLost() {
    process(request("r1", List.of(node("a", retry(1, 0)))));
    StepTask task = (StepTask) forwarded(CoordinatorTopology.STEP_TASKS_SINK).get(0);
    process(Jobs.started(task, "w1", Instant.ofEpochMilli(T0 + LEASE)));

    // The coordinator was away for three leases; the worker kept heartbeating meanwhile.
    context.setCurrentSystemTimeMs(T0 + 3 * LEASE);
    processor = newProcessor();
    expireLeases(T0 + 3 * LEASE + LEASE / 2);
    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK)).isEmpty();

    process(Jobs.heartbeat(task, "w1", Instant.ofEpochMilli(T0 + 5 * LEASE)));
    expireLeases(T0 + 4 * LEASE + 100);
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
    expireLeases(T0 + 4 * LEASE + 1);

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
    resetForwards();

    context.setCurrentSystemTimeMs(T0 + START_TIMEOUT - 1);
    judge(START_DEADLINE_PUNCTUATION);
    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK)).isEmpty();

    context.setCurrentSystemTimeMs(T0 + START_TIMEOUT + 1);
    punctuate(START_DEADLINE_PUNCTUATION);
    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK))
        .as("not before a probe sent after the deadline came back")
        .isEmpty();
    readBackProbes();
    punctuate(START_DEADLINE_PUNCTUATION);
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
    resetForwards();

    context.setCurrentSystemTimeMs(T0 + START_TIMEOUT + 1);
    judge(START_DEADLINE_PUNCTUATION);

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
    resetForwards();

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
    resetForwards();

    expireLeases(T0 + LEASE / 2);
    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK)).isEmpty();
    expireLeases(T0 + LEASE + 1);
    assertThat(forwarded(CoordinatorTopology.STEP_EVENTS_SINK)).hasSize(1);
  }

  private static int partitionOf(Record<?, ?> task) {
    return Integer.parseInt(
        EventHeaders.lastValue(task.headers(), TaskPartitioner.HEADER).orElseThrow());
  }

  /** Checks the leases at {@code now}, the partition answering no probe. */
  private void expireLeasesUnanswered(long now) {
    context.setCurrentSystemTimeMs(now);
    punctuate(LEASE_PUNCTUATION);
  }

  /** Checks the leases at {@code now}, the partition answering the coordinator's probes at once. */
  private void expireLeases(long now) {
    context.setCurrentSystemTimeMs(now);
    judge(LEASE_PUNCTUATION);
  }

  /** Runs a judging punctuation, reads back the probes it sent at once, and runs it again. */
  private void judge(int punctuation) {
    punctuate(punctuation);
    readBackProbes();
    punctuate(punctuation);
  }

  // The punctuations of the newest processor, in the order it schedules them.
  private static final int LEASE_PUNCTUATION = 0;
  private static final int START_DEADLINE_PUNCTUATION = 2;
  private static final int STALL_WATCH = 3;

  private void punctuate(int punctuation) {
    var scheduled = context.scheduledPunctuators();
    scheduled
        .get(scheduled.size() - PUNCTUATIONS + punctuation)
        .getPunctuator()
        .punctuate(context.currentSystemTimeMs());
  }

  private static final int PUNCTUATIONS = 5;

  /** Feeds the lease probes sent since the last call back to the processor, read now. */
  private void readBackProbes() {
    List<Record<?, ?>> probes = probesSent();
    for (Record<?, ?> probe : probes.subList(probesReadBack, probes.size())) {
      processor.process(
          new Record<String, SpecificRecord>(
              (String) probe.key(), null, context.currentSystemTimeMs(), probe.headers()));
    }
    probesReadBack = probes.size();
  }

  private List<Record<?, ?>> probesSent() {
    return context.forwarded(CoordinatorTopology.STEP_EVENTS_SINK).stream()
        .<Record<?, ?>>map(f -> f.record())
        .filter(r -> EventHeaders.isLeaseProbe(r.headers()))
        .toList();
  }

  private void resetForwards() {
    context.resetForwards();
    probesReadBack = 0;
  }

  private void process(SpecificRecord value) {
    processor.process(new Record<>("r1", value, context.currentSystemTimeMs()));
  }

  /** What the processor forwarded to a sink, lease probes left out. */
  private List<SpecificRecord> forwarded(String child) {
    return context.forwarded(child).stream()
        .filter(f -> !EventHeaders.isLeaseProbe(f.record().headers()))
        .map(f -> (SpecificRecord) f.record().value())
        .toList();
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
