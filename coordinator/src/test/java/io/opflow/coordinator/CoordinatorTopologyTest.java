package io.opflow.coordinator;

import static io.opflow.coordinator.Jobs.diamond;
import static io.opflow.coordinator.Jobs.node;
import static io.opflow.coordinator.Jobs.request;
import static io.opflow.coordinator.Jobs.retry;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opflow.coordinator.internal.CoordinatorTopology;
import io.opflow.events.RunCanceled;
import io.opflow.events.RunEvent;
import io.opflow.events.RunFailed;
import io.opflow.events.RunStarted;
import io.opflow.events.RunSucceeded;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepSkipped;
import io.opflow.events.StepUpForRetry;
import io.opflow.protocol.ChainedStep;
import io.opflow.protocol.RunCommand;
import io.opflow.protocol.StepTask;
import io.opflow.schemas.EventHeaders;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.OpflowTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoordinatorTopologyTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final long LEASE = 5000;

  @TempDir Path stateDir;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private TopologyTestDriver driver;
  private TestInputTopic<String, RunCommand> runs;
  private TestInputTopic<String, StepEvent> events;
  private TestOutputTopic<String, StepTask> tasks;
  private TestOutputTopic<String, StepEvent> eventsOut;
  private TestOutputTopic<String, RunEvent> runEvents;
  private long punctuateMillis;

  @BeforeEach
  void start() throws Exception {
    CoordinatorConfig config =
        new CoordinatorConfig(
            Map.of(
                CoordinatorConfig.BOOTSTRAP_SERVERS_CONFIG,
                "unused:9092",
                CoordinatorConfig.LEASE_MS_CONFIG,
                LEASE,
                CoordinatorConfig.STATE_DIR_CONFIG,
                Files.createDirectories(stateDir).toString()));
    Properties props = Coordinator.streamsConfig(config);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    driver = new TopologyTestDriver(Coordinator.buildTopology(config, registry), props, T0);
    punctuateMillis = config.punctuateIntervalMillis();
    OpflowTopics topics = config.topics();
    var keys = Serdes.String();
    runs =
        driver.createInputTopic(
            topics.runs(), keys.serializer(), OpflowSerdes.runCommands().serializer());
    events =
        driver.createInputTopic(
            topics.stepEvents(), keys.serializer(), OpflowSerdes.stepEvents().serializer());
    tasks =
        driver.createOutputTopic(
            topics.stepTasks(), keys.deserializer(), OpflowSerdes.stepTasks().deserializer());
    eventsOut =
        driver.createOutputTopic(
            topics.stepEvents(), keys.deserializer(), OpflowSerdes.stepEvents().deserializer());
    runEvents =
        driver.createOutputTopic(
            topics.runEvents(), keys.deserializer(), OpflowSerdes.runEvents().deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  /** Reads the step events the coordinator published, without its lease probes. */
  private List<StepEvent> published() {
    return eventsOut.readRecordsToList().stream()
        .filter(r -> !EventHeaders.isLeaseProbe(r.headers()))
        .map(TestRecord::value)
        .toList();
  }

  // The test driver feeds what the coordinator writes to step-events back into its step-events
  // source, as the real topic does; so a published verdict is applied before the call returns.

  @Test
  void onlyOutputsThatAnotherStepReadsAreStoredAndTheRunsEndDeletesThem() {
    // a feeds b, a leaf, and c, which feeds d.
    runs.pipeInput(
        "r1",
        request(
            "r1",
            List.of(
                node("a"),
                node("b", "x=a.result"),
                node("c", "x=a.result"),
                node("d", "x=c.result"))));
    StepTask a = tasks.readValue();
    events.pipeInput("r1", Jobs.succeeded(a, "1"));
    Map<String, StepTask> middle = byStep(tasks.readValuesToList());
    events.pipeInput("r1", Jobs.succeeded(middle.get("b"), "2"));
    events.pipeInput("r1", Jobs.succeeded(middle.get("c"), "3"));

    KeyValueStore<String, Map<String, String>> outputs =
        driver.getKeyValueStore(CoordinatorTopology.OUTPUTS_STORE);
    assertThat(outputs.get("r1/a")).containsEntry("result", "1");
    assertThat(outputs.get("r1/c")).containsEntry("result", "3");
    assertThat(outputs.get("r1/b")).as("b is a leaf: nothing reads its outputs").isNull();

    events.pipeInput("r1", Jobs.succeeded(tasks.readValue(), "4"));
    assertThat(runEvents.readValuesToList())
        .last()
        .satisfies(e -> assertThat(e.getPayload()).isInstanceOf(RunSucceeded.class));
    try (KeyValueIterator<String, Map<String, String>> left = outputs.all()) {
      assertThat(left.hasNext()).as("the run's end deletes every output it stored").isFalse();
    }
  }

  @Test
  void diamondRunsToSuccessPassingOutputsAsInputs() {
    runs.pipeInput("r1", request("r1", diamond()));
    assertThat(runEvents.readValue().getPayload()).isInstanceOf(RunStarted.class);
    TestRecord<String, StepTask> first = tasks.readRecord();
    assertThat(first.key()).isEqualTo("r1/a");
    StepTask a = first.value();
    assertThat(a.getAttempt()).isEqualTo(1);
    assertThat(a.getRunConfigJson()).isEqualTo(Jobs.CONFIG_JSON);
    assertThat(a.getLeaseMillis()).isEqualTo(LEASE);
    assertThat(a.getCodeVersion()).isEqualTo("1.0.0");

    events.pipeInput("r1", Jobs.succeeded(a, "1"));
    Map<String, StepTask> middle = byStep(tasks.readValuesToList());
    assertThat(middle).containsOnlyKeys("b", "c");
    assertThat(middle.get("b").getInputsJson()).isEqualTo(Map.of("x", "1"));
    assertThat(middle.get("c").getInputsJson()).isEqualTo(Map.of("x", "1"));

    events.pipeInput("r1", Jobs.succeeded(middle.get("b"), "2"));
    assertThat(tasks.isEmpty()).isTrue();
    events.pipeInput("r1", Jobs.succeeded(middle.get("c"), "3"));
    StepTask d = tasks.readValue();
    assertThat(d.getInputsJson()).isEqualTo(Map.of("left", "2", "right", "3"));

    events.pipeInput("r1", Jobs.succeeded(d, "4"));
    assertThat(runEvents.readValue().getPayload()).isInstanceOf(RunSucceeded.class);
    assertThat(runEvents.isEmpty()).isTrue();
    assertThat(counter("opflow.runs", "status", "started")).isEqualTo(1);
    assertThat(counter("opflow.runs", "status", "success")).isEqualTo(1);
    assertThat(counter("opflow.steps.issued", "op", "op_d")).isEqualTo(1);
  }

  @Test
  void aReexecutionRunsOnlyTheStepsItDoesNotReuseFeedingThemTheParentsOutputs() {
    runs.pipeInput(
        "r2",
        Jobs.reexecution(
            "r2", diamond(), "r1", Map.of("a", Map.of("result", "1"), "b", Map.of("result", "2"))));
    RunStarted started = (RunStarted) runEvents.readValue().getPayload();
    assertThat(started.getParentRunId()).isEqualTo("r1");
    assertThat(started.getReusedStepKeys()).containsExactlyInAnyOrder("a", "b");

    StepTask c = tasks.readValue();
    assertThat(c.getStepKey()).isEqualTo("c");
    assertThat(c.getAttempt()).isEqualTo(1);
    assertThat(c.getInputsJson()).isEqualTo(Map.of("x", "1"));
    assertThat(tasks.isEmpty()).isTrue();

    events.pipeInput("r2", Jobs.succeeded(c, "3"));
    StepTask d = tasks.readValue();
    assertThat(d.getInputsJson()).isEqualTo(Map.of("left", "2", "right", "3"));
    events.pipeInput("r2", Jobs.succeeded(d, "4"));
    assertThat(runEvents.readValue().getPayload()).isInstanceOf(RunSucceeded.class);
    // Reused steps were not run here: no event of theirs, so no hook fires for them.
    assertThat(published()).extracting(StepEvent::getStepKey).doesNotContain("a", "b");
  }

  @Test
  void aReexecutionThatReusesEveryStepSucceedsWithoutIssuingATask() {
    runs.pipeInput(
        "r2",
        Jobs.reexecution(
            "r2",
            List.of(node("a"), node("b", "x=a.result")),
            "r1",
            Map.of("a", Map.of("result", "1"), "b", Map.of("result", "2"))));
    assertThat(payloads(runEvents)).hasExactlyElementsOfTypes(RunStarted.class, RunSucceeded.class);
    assertThat(tasks.isEmpty()).isTrue();
  }

  @Test
  void aReexecutionThatReusesAStepButRerunsItsUpstreamIsRefused() {
    runs.pipeInput(
        "r2",
        Jobs.reexecution(
            "r2",
            diamond(),
            "r1",
            Map.of(
                "a", Map.of("result", "1"),
                "d", Map.of("result", "4"),
                "z", Map.of())));
    RunFailed failed = (RunFailed) runEvents.readValue().getPayload();
    assertThat(failed.getMessage())
        .contains("invalid re-execution")
        .contains("reuses step 'd' but runs its upstream step 'b' again")
        .contains("reuses step 'z', not in the job");
    assertThat(tasks.isEmpty()).isTrue();
  }

  @Test
  void upForRetryIssuesTheNextAttemptAtRetryAt() {
    runs.pipeInput("r1", request("r1", List.of(node("a", retry(2, 1000)))));
    StepTask first = tasks.readValue();
    events.pipeInput("r1", Jobs.upForRetry(first, T0.plusMillis(1000)));
    assertThat(tasks.isEmpty()).isTrue();

    advance(Duration.ofMillis(500));
    assertThat(tasks.isEmpty()).isTrue();
    advance(Duration.ofMillis(600));
    StepTask second = tasks.readValue();
    assertThat(second.getAttempt()).isEqualTo(2);

    events.pipeInput("r1", Jobs.succeeded(second, "ok"));
    assertThat(payloads(runEvents)).hasExactlyElementsOfTypes(RunStarted.class, RunSucceeded.class);
  }

  @Test
  void upForRetryBeyondMaxRetriesFailsTheStep() {
    runs.pipeInput("r1", request("r1", List.of(node("a", retry(0, 0)))));
    events.pipeInput("r1", Jobs.upForRetry(tasks.readValue(), T0));
    assertThat(tasks.isEmpty()).isTrue();
    RunFailed failed = (RunFailed) payloads(runEvents).get(1);
    assertThat(failed.getFailedSteps()).containsExactly("a");
  }

  @Test
  void finalFailureSkipsDownstreamAndFailsTheRun() {
    runs.pipeInput("r1", request("r1", diamond()));
    events.pipeInput("r1", Jobs.failed(tasks.readValue(), "disk full"));

    assertThat(tasks.isEmpty()).isTrue();
    List<StepEvent> skipped = published();
    assertThat(skipped).extracting(StepEvent::getStepKey).containsExactly("b", "c", "d");
    assertThat(skipped).allSatisfy(e -> assertThat(e.getPayload()).isInstanceOf(StepSkipped.class));
    assertThat(skipped)
        .allSatisfy(e -> assertThat(e.getRunConfigJson()).isEqualTo(Jobs.CONFIG_JSON));
    assertThat(((StepSkipped) skipped.get(0).getPayload()).getReason()).contains("'a' failed");

    List<Object> run = payloads(runEvents);
    assertThat(run).hasExactlyElementsOfTypes(RunStarted.class, RunFailed.class);
    RunFailed failed = (RunFailed) run.get(1);
    assertThat(failed.getFailedSteps()).containsExactly("a");
    assertThat(failed.getMessage()).contains("step 'a'", "java.io.IOException: disk full");
    assertThat(counter("opflow.runs", "status", "failure")).isEqualTo(1);
  }

  @Test
  void duplicateAndStaleResultsAreIgnored() {
    runs.pipeInput("r1", request("r1", List.of(node("a"), node("b", "x=a.result"))));
    StepTask a = tasks.readValue();
    events.pipeInput("r1", Jobs.succeeded(a, "1"));
    events.pipeInput("r1", Jobs.succeeded(a, "other"));
    events.pipeInput("r1", Jobs.failed(a, "late"));
    events.pipeInput("r1", Jobs.withAttempt(Jobs.succeeded(a, "2"), 2));

    List<StepTask> issued = tasks.readValuesToList();
    assertThat(issued).extracting(StepTask::getStepKey).containsExactly("b");
    assertThat(issued.get(0).getInputsJson()).isEqualTo(Map.of("x", "1"));
    assertThat(counter("opflow.coordinator.stale.results")).isEqualTo(3);

    events.pipeInput("r1", Jobs.succeeded(issued.get(0), "3"));
    events.pipeInput("r1", Jobs.succeeded(issued.get(0), "3"));
    assertThat(payloads(runEvents)).hasExactlyElementsOfTypes(RunStarted.class, RunSucceeded.class);
    assertThat(counter("opflow.coordinator.stale.results")).isEqualTo(4);
  }

  @Test
  void expiredLeaseWithRetriesLeftPublishesWorkerLostRetryAndIgnoresTheLateResult() {
    runs.pipeInput("r1", request("r1", List.of(node("a", retry(1, 1000)))));
    StepTask first = tasks.readValue();
    events.pipeInput("r1", Jobs.started(first, "w1", T0.plusMillis(LEASE)));
    advance(Duration.ofMillis(LEASE - 1000));
    events.pipeInput("r1", Jobs.heartbeat(first, "w1", T0.plusMillis(2 * LEASE)));
    advance(Duration.ofMillis(LEASE));
    assertThat(published()).isEmpty();

    advance(Duration.ofMillis(1500));
    StepEvent verdict = single(published());
    StepUpForRetry retry = (StepUpForRetry) verdict.getPayload();
    assertThat(verdict.getAttempt()).isEqualTo(1);
    assertThat(verdict.getRunConfigJson()).isEqualTo(Jobs.CONFIG_JSON);
    assertThat(retry.getNextAttempt()).isEqualTo(2);
    assertThat(retry.getError().getType()).isEqualTo("WorkerLost");
    assertThat(retry.getError().getRetriable()).isTrue();
    // The heartbeat was read at 4 s: its lease of 5 s counts from then on the coordinator's clock.
    assertThat(retry.getError().getMessage())
        .isEqualTo("worker w1 stopped heartbeating; lease expired at 2026-01-01T00:00:09Z");
    assertThat(counter("opflow.workers.lost")).isEqualTo(1);

    advance(Duration.ofSeconds(1));
    StepTask second = tasks.readValue();
    assertThat(second.getAttempt()).isEqualTo(2);

    events.pipeInput("r1", Jobs.succeeded(first, "late"));
    assertThat(counter("opflow.coordinator.stale.results")).isEqualTo(1);
    events.pipeInput("r1", Jobs.succeeded(second, "ok"));
    assertThat(payloads(runEvents)).hasExactlyElementsOfTypes(RunStarted.class, RunSucceeded.class);
  }

  @Test
  void expiredLeaseWithoutRetriesPublishesOneFinalWorkerLostFailure() {
    runs.pipeInput("r1", request("r1", List.of(node("a", retry(3, 0, "java.io.IOException")))));
    StepTask first = tasks.readValue();
    events.pipeInput("r1", Jobs.started(first, "w1", T0.plusMillis(LEASE)));
    advance(Duration.ofMillis(LEASE + 300));
    advance(Duration.ofMillis(300));
    advance(Duration.ofMillis(300));

    StepEvent verdict = single(published());
    StepFailed failed = (StepFailed) verdict.getPayload();
    assertThat(failed.getError().getType()).isEqualTo("WorkerLost");
    assertThat(failed.getError().getRetriable()).isFalse();
    assertThat(verdict.getRunConfigJson()).isEqualTo(Jobs.CONFIG_JSON);
    assertThat(tasks.isEmpty()).isTrue();

    events.pipeInput("r1", Jobs.succeeded(first, "late"));
    List<Object> run = payloads(runEvents);
    assertThat(run).hasExactlyElementsOfTypes(RunStarted.class, RunFailed.class);
    assertThat(((RunFailed) run.get(1)).getMessage()).contains("WorkerLost: worker w1");
  }

  @Test
  void aWorkerResultAheadOfTheLeaseExpiryWins() {
    runs.pipeInput("r1", request("r1", List.of(node("a", retry(1, 0)))));
    StepTask first = tasks.readValue();
    events.pipeInput("r1", Jobs.started(first, "w1", T0.plusMillis(LEASE)));
    events.pipeInput("r1", Jobs.succeeded(first, "ok"));
    advance(Duration.ofMillis(2 * LEASE));

    assertThat(published()).isEmpty();
    assertThat(payloads(runEvents)).hasExactlyElementsOfTypes(RunStarted.class, RunSucceeded.class);
  }

  @Test
  void cancelSkipsPendingStepsAndEndsTheRunOnce() {
    runs.pipeInput("r1", request("r1", diamond()));
    StepTask a = tasks.readValue();
    events.pipeInput("r1", Jobs.started(a, "w1", T0.plusMillis(LEASE)));
    runs.pipeInput("r1", Jobs.cancel("r1", "operator asked"));

    List<StepEvent> skipped = published();
    assertThat(skipped).extracting(StepEvent::getStepKey).containsExactly("b", "c", "d");
    assertThat(skipped)
        .allSatisfy(
            e -> assertThat(((StepSkipped) e.getPayload()).getReason()).isEqualTo("run canceled"));
    List<Object> run = payloads(runEvents);
    assertThat(run).hasExactlyElementsOfTypes(RunStarted.class, RunCanceled.class);
    assertThat(((RunCanceled) run.get(1)).getReason()).isEqualTo("operator asked");

    events.pipeInput("r1", Jobs.succeeded(a, "late"));
    runs.pipeInput("r1", Jobs.cancel("r1", "again"));
    advance(Duration.ofMillis(2 * LEASE));
    assertThat(tasks.isEmpty()).isTrue();
    assertThat(published()).isEmpty();
    assertThat(runEvents.isEmpty()).isTrue();
    assertThat(counter("opflow.runs", "status", "canceled")).isEqualTo(1);
  }

  @Test
  void cancelOfAnUnknownRunPublishesNothing() {
    runs.pipeInput("nope", Jobs.cancel("nope", "why not"));
    assertThat(runEvents.isEmpty()).isTrue();
    assertThat(published()).isEmpty();
  }

  @Test
  void invalidSnapshotsFailTheRunNamingTheProblem() {
    runs.pipeInput(
        "cyc", request("cyc", List.of(node("a", "x=b.result"), node("b", "x=a.result"))));
    runs.pipeInput("unk", request("unk", List.of(node("a", "x=ghost.result"))));
    runs.pipeInput("dup", request("dup", List.of(node("a"), node("a"))));
    runs.pipeInput("bad", request("bad", List.of(node("a", retry(-1, 0)))));

    List<Object> failures = payloads(runEvents);
    assertThat(failures).hasSize(4).allSatisfy(p -> assertThat(p).isInstanceOf(RunFailed.class));
    assertThat(message(failures.get(0))).contains("[a, b] form a dependency cycle");
    assertThat(message(failures.get(1))).contains("reads from unknown step 'ghost'");
    assertThat(message(failures.get(2))).contains("duplicate step key 'a'");
    assertThat(message(failures.get(3))).contains("maxRetries must be 0 or more");
    assertThat(tasks.isEmpty()).isTrue();
    assertThat(published()).isEmpty();

    runs.pipeInput("cyc", request("cyc", List.of(node("a"))));
    assertThat(runEvents.isEmpty()).isTrue();
  }

  @Test
  void aRunRequestNotKeyedByItsRunIdIsRefused() {
    runs.pipeInput("other", request("r1", List.of(node("a"))));
    RunFailed failed = (RunFailed) single(payloads(runEvents));
    assertThat(failed.getMessage()).contains("record key 'other' is not the run id");
    assertThat(tasks.isEmpty()).isTrue();
  }

  @Test
  void aFinishedRunIsForgottenAfterItsRetention() {
    runs.pipeInput("r1", request("r1", List.of(node("a"))));
    events.pipeInput("r1", Jobs.succeeded(tasks.readValue(), "1"));
    driver.advanceWallClockTime(Duration.ofDays(6));
    runs.pipeInput("r1", request("r1", List.of(node("a"))));
    assertThat(tasks.isEmpty()).isTrue();

    driver.advanceWallClockTime(Duration.ofDays(1).plusMinutes(2));
    runs.pipeInput("r1", request("r1", List.of(node("a"))));
    assertThat(tasks.readValuesToList()).hasSize(1);
  }

  @Test
  void duplicateRunRequestIsIgnored() {
    runs.pipeInput("r1", request("r1", List.of(node("a"))));
    runs.pipeInput("r1", request("r1", List.of(node("a"))));
    assertThat(tasks.readValuesToList()).hasSize(1);
    assertThat(payloads(runEvents)).hasExactlyElementsOfTypes(RunStarted.class);
  }

  @Test
  void eachRunEndsWithExactlyOneTerminalEvent() {
    for (String id : List.of("r1", "r2", "r3")) {
      runs.pipeInput(id, request(id, List.of(node("a"), node("b", "x=a.result"))));
    }
    Map<String, StepTask> first = new java.util.HashMap<>();
    tasks.readValuesToList().forEach(t -> first.put(t.getRunId(), t));
    events.pipeInput("r1", Jobs.succeeded(first.get("r1"), "1"));
    events.pipeInput("r2", Jobs.failed(first.get("r2"), "no"));
    runs.pipeInput("r3", Jobs.cancel("r3", "stop"));
    StepTask b1 = tasks.readValue();
    events.pipeInput("r1", Jobs.succeeded(b1, "2"));
    events.pipeInput("r1", Jobs.succeeded(b1, "2"));
    runs.pipeInput("r1", Jobs.cancel("r1", "too late"));
    events.pipeInput("r2", Jobs.failed(first.get("r2"), "no"));

    List<RunEvent> all = runEvents.readValuesToList();
    for (String id : List.of("r1", "r2", "r3")) {
      assertThat(all.stream().filter(e -> e.getRunId().equals(id)).map(RunEvent::getPayload))
          .filteredOn(p -> !(p instanceof RunStarted))
          .hasSize(1);
    }
  }

  @Test
  void undecodableRecordGoesToTheDeadLetterTopicAndTheNextOneIsProcessed() {
    OpflowTopics topics = OpflowTopics.defaults();
    var raw =
        driver.createInputTopic(
            topics.runs(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
    var deadLetters =
        driver.createOutputTopic(
            topics.deadLetter(),
            Serdes.ByteArray().deserializer(),
            Serdes.ByteArray().deserializer());
    raw.pipeInput("junk", new byte[] {1, 2, 3});
    runs.pipeInput("r1", request("r1", List.of(node("a"))));

    var dead = deadLetters.readRecord();
    assertThat(dead.value()).containsExactly(1, 2, 3);
    assertThat(EventHeaders.lastValue(dead.headers(), EventHeaders.DLQ_SOURCE_TOPIC))
        .contains(topics.runs());
    assertThat(tasks.readValuesToList()).hasSize(1);
  }

  @Test
  void recordsWithNoValueGoToTheDeadLetterTopicOnBothInputs() {
    OpflowTopics topics = OpflowTopics.defaults();
    var deadLetters =
        driver.createOutputTopic(
            topics.deadLetter(),
            Serdes.ByteArray().deserializer(),
            Serdes.ByteArray().deserializer());
    runs.pipeInput("r0", (RunCommand) null);
    events.pipeInput("r0", (StepEvent) null);
    runs.pipeInput("r1", request("r1", List.of(node("a"))));

    assertThat(deadLetters.readRecordsToList())
        .extracting(r -> EventHeaders.lastValue(r.headers(), EventHeaders.DLQ_SOURCE_TOPIC))
        .containsExactly(
            java.util.Optional.of(topics.runs()), java.util.Optional.of(topics.stepEvents()));
    assertThat(tasks.readValuesToList()).hasSize(1);
  }

  @Test
  void outputsOverTheLimitFailTheStepsReadingThemWithAMessageAndTheRunEnds() {
    runs.pipeInput("r1", request("r1", List.of(node("a"), node("b", "x=a.result"))));
    StepTask a = tasks.readValue();
    String big = "\"" + "x".repeat(1024 * 1024) + "\"";
    events.pipeInput("r1", Jobs.succeeded(a, big));

    assertThat(tasks.isEmpty()).isTrue();
    StepEvent failedB = single(published());
    assertThat(failedB.getStepKey()).isEqualTo("b");
    StepFailed failure = (StepFailed) failedB.getPayload();
    assertThat(failure.getError().getMessage())
        .contains("a.result", "opflow.coordinator.max.inline.bytes", "by reference");
    RunFailed run = (RunFailed) payloads(runEvents).get(1);
    assertThat(run.getFailedSteps()).containsExactly("b");
  }

  @Test
  void anUpForRetryTheSnapshotAllowsNoRetryForIsPublishedAsAFailure() {
    runs.pipeInput("r1", request("r1", List.of(node("a", retry(0, 0)), node("b", "x=a.result"))));
    StepTask a = tasks.readValue();
    events.pipeInput("r1", Jobs.upForRetry(a, T0));

    List<StepEvent> published = published();
    assertThat(published).extracting(StepEvent::getStepKey).containsExactly("a", "b");
    assertThat(published.get(0).getPayload()).isInstanceOf(StepFailed.class);
    assertThat(published.get(0).getAttempt()).isEqualTo(1);
    assertThat(published.get(1).getPayload()).isInstanceOf(StepSkipped.class);
  }

  @Test
  void aLongChainEndsWithoutRecursion() {
    List<io.opflow.protocol.NodeSnapshot> nodes = new java.util.ArrayList<>();
    nodes.add(node("s0"));
    for (int i = 1; i < 3000; i++) {
      nodes.add(node("s" + i, "x=s" + (i - 1) + ".result"));
    }
    runs.pipeInput("r1", request("r1", nodes));
    events.pipeInput("r1", Jobs.failed(tasks.readValue(), "boom"));

    assertThat(published()).hasSize(2999);
    assertThat(payloads(runEvents)).hasExactlyElementsOfTypes(RunStarted.class, RunFailed.class);
  }

  @Test
  void aTaskListsTheLinearSegmentAfterItsStepForItsWorkerToChain() {
    runs.pipeInput("r1", request("r1", chain(3)));
    StepTask first = tasks.readValue();

    assertThat(first.getChain())
        .extracting(ChainedStep::getStepKey, ChainedStep::getOpName, ChainedStep::getInputs)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("s1", "op_s1", Map.of("x", "result")),
            org.assertj.core.groups.Tuple.tuple("s2", "op_s2", Map.of("x", "result")));

    runs.pipeInput("r2", request("r2", diamond()));
    StepTask a = tasks.readValue();
    assertThat(a.getChain()).as("a has two successors").isEmpty();
    events.pipeInput("r2", Jobs.succeeded(a, "1"));
    assertThat(tasks.readValuesToList())
        .as("d reads from b and c")
        .allSatisfy(task -> assertThat(task.getChain()).isEmpty());
  }

  @Test
  void aSuccessAnnouncingTheChainedStepStartsItWithoutATask() {
    runs.pipeInput("r1", request("r1", chain(3)));
    StepTask s0 = tasks.readValue();
    events.pipeInput("r1", Jobs.started(s0, "w1", T0.plusMillis(LEASE)));

    events.pipeInput("r1", Jobs.succeededChained(s0, "1", "s1"));
    assertThat(tasks.isEmpty()).as("no task for a chained step").isTrue();
    StepTask s1 = chained(s0, "s1");
    events.pipeInput("r1", Jobs.started(s1, "w1", T0.plusMillis(LEASE)));
    events.pipeInput("r1", Jobs.succeededChained(s1, "2", "s2"));
    assertThat(tasks.isEmpty()).isTrue();
    events.pipeInput("r1", Jobs.succeeded(chained(s1, "s2"), "3"));

    assertThat(payloads(runEvents)).hasExactlyElementsOfTypes(RunStarted.class, RunSucceeded.class);
    assertThat(counter("opflow.coordinator.stale.results")).isZero();
    assertThat(counter("opflow.steps.issued", "via", "chain")).isEqualTo(2);
    assertThat(counter("opflow.steps.issued", "via", "task")).isEqualTo(1);
  }

  @Test
  void aChainedStepItsWorkerNeverAnnouncedIsIssuedAgainUnderTheSameAttemptSpendingNoRetry() {
    // b has no retries: a verdict would fail the run.
    runs.pipeInput("r1", request("r1", List.of(node("a"), node("b", "x=a.result"))));
    StepTask a = tasks.readValue();
    events.pipeInput("r1", Jobs.started(a, "w1", T0.plusMillis(LEASE)));
    events.pipeInput("r1", Jobs.succeededChained(a, "1", "b"));

    advance(Duration.ofMillis(LEASE + 1500));
    advance(Duration.ofMillis(300)); // once the probe sent after it is back
    assertThat(published()).as("no verdict, so no failure event or hook").isEmpty();
    StepTask reissued = tasks.readValue();
    assertThat(reissued.getStepKey()).isEqualTo("b");
    assertThat(reissued.getAttempt()).isEqualTo(1);
    assertThat(reissued.getInputsJson()).isEqualTo(Map.of("x", "1"));

    events.pipeInput("r1", Jobs.started(reissued, "w2", T0.plusMillis(3 * LEASE)));
    events.pipeInput("r1", Jobs.succeeded(reissued, "2"));
    assertThat(payloads(runEvents)).hasExactlyElementsOfTypes(RunStarted.class, RunSucceeded.class);
    events.pipeInput("r1", Jobs.succeeded(chained(a, "b"), "late"));
    assertThat(counter("opflow.coordinator.stale.results")).isEqualTo(1);
  }

  @Test
  void aChainedStepWhoseWorkerAnnouncedItThenVanishedIsEndedByItsLeaseAndRetried() {
    runs.pipeInput("r1", request("r1", List.of(node("a"), node("b", retry(1, 0), "x=a.result"))));
    StepTask a = tasks.readValue();
    events.pipeInput("r1", Jobs.started(a, "w1", T0.plusMillis(LEASE)));
    events.pipeInput("r1", Jobs.succeededChained(a, "1", "b"));
    events.pipeInput("r1", Jobs.started(chained(a, "b"), "w1", T0.plusMillis(LEASE)));

    advance(Duration.ofMillis(LEASE + 1500));
    advance(Duration.ofMillis(300));
    StepEvent verdict = single(published());
    assertThat(verdict.getStepKey()).isEqualTo("b");
    assertThat(verdict.getAttempt()).isEqualTo(1);
    assertThat(((StepUpForRetry) verdict.getPayload()).getError().getMessage())
        .startsWith("worker w1 stopped heartbeating;");
    StepTask retried = tasks.readValue();
    assertThat(retried.getAttempt()).isEqualTo(2);
    events.pipeInput("r1", Jobs.succeeded(retried, "2"));
    assertThat(payloads(runEvents)).hasExactlyElementsOfTypes(RunStarted.class, RunSucceeded.class);
  }

  @Test
  void aSuccessThatChainsNothingGetsTheNextStepATaskWithTheRestOfTheChain() {
    runs.pipeInput("r1", request("r1", chain(3)));
    events.pipeInput("r1", Jobs.succeeded(tasks.readValue(), "1"));

    StepTask s1 = tasks.readValue();
    assertThat(s1.getStepKey()).isEqualTo("s1");
    assertThat(s1.getAttempt()).isEqualTo(1);
    assertThat(s1.getChain()).extracting(ChainedStep::getStepKey).containsExactly("s2");
  }

  /** s0 -> s1 -> ... -> s(n-1), each reading the one before. */
  private static List<io.opflow.protocol.NodeSnapshot> chain(int steps) {
    List<io.opflow.protocol.NodeSnapshot> nodes = new java.util.ArrayList<>();
    nodes.add(node("s0"));
    for (int i = 1; i < steps; i++) {
      nodes.add(node("s" + i, "x=s" + (i - 1) + ".result"));
    }
    return nodes;
  }

  /** The task a worker builds for the next step of a chain, attempt 1. */
  private static StepTask chained(StepTask before, String stepKey) {
    return StepTask.newBuilder(before)
        .setStepKey(stepKey)
        .setOpName("op_" + stepKey)
        .setAttempt(1)
        .build();
  }

  private static Map<String, StepTask> byStep(List<StepTask> list) {
    Map<String, StepTask> map = new java.util.LinkedHashMap<>();
    list.forEach(t -> map.put(t.getStepKey(), t));
    return map;
  }

  private static List<Object> payloads(TestOutputTopic<String, RunEvent> topic) {
    return topic.readValuesToList().stream().map(RunEvent::getPayload).toList();
  }

  private static String message(Object runFailed) {
    return ((RunFailed) runFailed).getMessage();
  }

  private static <T> T single(List<T> list) {
    assertThat(list).hasSize(1);
    return list.get(0);
  }

  private double counter(String name, String... tags) {
    return registry.find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  /**
   * Moves the wall clock on by {@code time}, one punctuation interval at a time, as a stream thread
   * that is never stalled punctuates: a single jump would look like a stall to the coordinator,
   * which then renews every lease.
   */
  private void advance(Duration time) {
    long left = time.toMillis();
    while (left > 0) {
      long step = Math.min(left, punctuateMillis);
      driver.advanceWallClockTime(Duration.ofMillis(step));
      left -= step;
    }
  }
}
