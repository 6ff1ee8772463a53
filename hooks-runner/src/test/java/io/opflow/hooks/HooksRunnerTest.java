package io.opflow.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opflow.core.Definitions;
import io.opflow.core.HookContext;
import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.RemoteOpException;
import io.opflow.core.RunStatusContext;
import io.opflow.core.RunStatusSensor;
import io.opflow.core.config.NoConfig;
import io.opflow.core.execution.RunStatus;
import io.opflow.events.ErrorInfo;
import io.opflow.events.HookCompleted;
import io.opflow.events.HookErrored;
import io.opflow.events.HookEvent;
import io.opflow.events.HookSkipped;
import io.opflow.events.RunEvent;
import io.opflow.events.RunFailed;
import io.opflow.events.RunSucceeded;
import io.opflow.events.StackFrameInfo;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepSucceeded;
import io.opflow.events.StepUpForRetry;
import io.opflow.runtime.RuntimeConfig;
import io.opflow.runtime.testing.TopicsFixture;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.testkit.KafkaBrokerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HooksRunnerTest {

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  /** Config of the fetch op. */
  public record FetchConfig(String url) {}

  private static final Map<String, AtomicInteger> FIRED = new ConcurrentHashMap<>();
  private static final Map<String, HookContext> SEEN = new ConcurrentHashMap<>();
  private static final List<RunStatusContext> SENSED = new CopyOnWriteArrayList<>();

  private static void record(HookContext ctx) {
    FIRED.computeIfAbsent(ctx.idempotencyKey(), k -> new AtomicInteger()).incrementAndGet();
    SEEN.put(ctx.idempotencyKey(), ctx);
  }

  private static final HookDefinition NOTIFY_OK =
      HookDefinition.successHook("notify_ok").handler(HooksRunnerTest::record);
  private static final HookDefinition ON_FAIL =
      HookDefinition.failureHook("on_fail").handler(HooksRunnerTest::record);
  private static final HookDefinition EXPLODE =
      HookDefinition.successHook("explode")
          .handler(
              ctx -> {
                record(ctx);
                throw new IllegalStateException("hook boom");
              });
  private static final HookDefinition AFTER =
      HookDefinition.successHook("after").handler(HooksRunnerTest::record);
  private static final HookDefinition SLOW_HOOK =
      HookDefinition.successHook("slow_hook")
          .timeout(Duration.ofMillis(200))
          .handler(
              ctx -> {
                record(ctx);
                Thread.sleep(10_000); // the hook under test outlives its timeout on purpose
              });

  private static final OpDefinition<FetchConfig> FETCH =
      OpDefinition.builder("fetch")
          .config(FetchConfig.class)
          .output("rows", Integer.class)
          .body(ctx -> 3);
  private static final OpDefinition<NoConfig> LOAD = OpDefinition.builder("load").body(ctx -> null);
  private static final OpDefinition<NoConfig> SLEEPY =
      OpDefinition.builder("sleepy").body(ctx -> null);

  private static final Definitions DEFINITIONS =
      Definitions.builder()
          .jobs(
              JobDefinition.builder("etl")
                  .hooks(NOTIFY_OK, ON_FAIL)
                  .add(FETCH)
                  .add(LOAD.withHooks(EXPLODE, AFTER))
                  .add(SLEEPY.withHooks(SLOW_HOOK, AFTER))
                  .build())
          .sensors(RunStatusSensor.onRunFailure("alert").handler(SENSED::add))
          .build();

  private static final String RUN_CONFIG =
      "{\"ops\":{\"fetch\":{\"config\":{\"url\":{\"env\":\"SOURCE_URL\"}}}}}";

  private TopicsFixture fixture;
  private final List<HooksRunner> runners = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private String groupId;
  private String runId;

  @BeforeEach
  void setUp() {
    fixture = new TopicsFixture(kafka.broker());
    groupId = fixture.topics.prefix() + "hooks";
    runId = UUID.randomUUID().toString();
  }

  @AfterEach
  void tearDown() {
    runners.forEach(HooksRunner::close);
    fixture.close();
  }

  @Test
  void successFiresSuccessHookWithConfigAndOutputsAndSkipsFailureHook() throws Exception {
    startRunner();
    publish(succeeded("fetch", 1, Map.of("rows", "3")));

    List<HookEvent> events = awaitHookEvents("fetch", 2);
    assertThat(outcome(events, "notify_ok")).isInstanceOf(HookCompleted.class);
    assertThat(outcome(events, "on_fail")).isInstanceOf(HookSkipped.class);
    HookContext ctx = SEEN.get(key("fetch", 1, "notify_ok"));
    assertThat(ctx.opConfig()).isEqualTo(new FetchConfig("https://example.test/data"));
    assertThat(ctx.opOutputValues()).containsEntry("rows", 3);
    assertThat(ctx.attempt()).isEqualTo(1);
    assertThat(events.get(0).getIdempotencyKey()).isEqualTo(key("fetch", 1, "notify_ok"));
    assertThat(FIRED).doesNotContainKey(key("fetch", 1, "on_fail"));
    assertThat(
            registry
                .counter("opflow.hooks", "job", "etl", "hook", "notify_ok", "outcome", "completed")
                .count())
        .isEqualTo(1.0);
    assertThat(registry.find("opflow.hook.dispatch.latency").timer().count()).isEqualTo(2);
  }

  @Test
  void failureFiresFailureHookWithTheRemoteError() throws Exception {
    startRunner();
    ErrorInfo error =
        ErrorInfo.newBuilder()
            .setType("java.io.IOException")
            .setMessage("disk full")
            .setStackFrames(
                List.of(new StackFrameInfo("com.acme.Loader", "load", "Loader.java", 42)))
            .setRetriable(false)
            .build();
    publish(event("fetch", 2, new StepFailed(error, 5L, Map.of("rows", "1"))));

    List<HookEvent> events = awaitHookEvents("fetch", 2);
    assertThat(outcome(events, "on_fail")).isInstanceOf(HookCompleted.class);
    assertThat(outcome(events, "notify_ok")).isInstanceOf(HookSkipped.class);
    HookContext ctx = SEEN.get(key("fetch", 2, "on_fail"));
    RemoteOpException remote = (RemoteOpException) ctx.opException().orElseThrow();
    assertThat(remote.originalType()).isEqualTo("java.io.IOException");
    assertThat(remote.getMessage()).isEqualTo("disk full");
    assertThat(remote).hasToString("java.io.IOException: disk full");
    assertThat(remote.getStackTrace()[0].getClassName()).isEqualTo("com.acme.Loader");
    assertThat(ctx.opError().orElseThrow().message()).isEqualTo("disk full");
    assertThat(ctx.opOutputValues()).containsEntry("rows", 1);
  }

  @Test
  void upForRetryFiresNothingAndRecordsEachHookSkippedForTheDiscardedAttempt() throws Exception {
    startRunner();
    publish(upForRetry("fetch", 1));
    publish(succeeded("load", 1, Map.of())); // marker, same partition, read after

    awaitHookEvents("load", 4);
    assertThat(FIRED).doesNotContainKeys(key("fetch", 1, "on_fail"), key("fetch", 1, "notify_ok"));
    assertThat(hookEvents("fetch"))
        .hasSize(2)
        .allSatisfy(
            e -> {
              assertThat(e.getAttempt()).isEqualTo(1);
              assertThat(((HookSkipped) e.getPayload()).getReason())
                  .contains("attempt 1 was put up for retry");
            });
  }

  @Test
  void aRunnerRestartedAfterAnUpForRetryStillFiresNothingForTheDiscardedAttempt() throws Exception {
    HooksRunner first = startRunner();
    publish(upForRetry("fetch", 1)); // a lost-worker verdict, say
    publish(succeeded("load", 1, Map.of())); // marker, read after
    awaitHookEvents("load", 4);
    first.close(); // commits past the verdict: the next runner never reads it
    runners.remove(first);

    startRunner();
    publish(succeeded("fetch", 1, Map.of("rows", "3"))); // the paused worker's late result
    publish(succeeded("sleepy", 1, Map.of())); // marker, read after

    awaitHookEvents("sleepy", 4);
    assertThat(FIRED).doesNotContainKey(key("fetch", 1, "notify_ok"));
    assertThat(hookEvents("fetch"))
        .allSatisfy(e -> assertThat(e.getPayload()).isInstanceOf(HookSkipped.class));
  }

  @Test
  void aLateResultOfAnAttemptThatEndedUpForRetryFiresNothing() throws Exception {
    startRunner();
    publish(upForRetry("fetch", 1)); // a lost-worker verdict, say
    publish(succeeded("fetch", 1, Map.of("rows", "3"))); // the paused worker's late result
    publish(succeeded("fetch", 2, Map.of("rows", "4"))); // the retry's result

    awaitHookEvents("fetch", 4);
    assertThat(FIRED).doesNotContainKey(key("fetch", 1, "notify_ok"));
    assertThat(FIRED.get(key("fetch", 2, "notify_ok")).get()).isEqualTo(1);
    assertThat(hookEvents("fetch"))
        .filteredOn(e -> e.getAttempt() == 1)
        .allSatisfy(e -> assertThat(e.getPayload()).isInstanceOf(HookSkipped.class))
        .hasSize(2);
  }

  @Test
  void throwingHookIsErroredAndTheNextHookStillRuns() throws Exception {
    startRunner();
    publish(succeeded("load", 1, Map.of()));

    List<HookEvent> events = awaitHookEvents("load", 4);
    assertThat(events)
        .extracting(HookEvent::getHookName)
        .containsExactly("notify_ok", "on_fail", "explode", "after");
    HookErrored errored = (HookErrored) outcome(events, "explode");
    assertThat(errored.getError().getType()).isEqualTo(IllegalStateException.class.getName());
    assertThat(errored.getError().getMessage()).isEqualTo("hook boom");
    assertThat(outcome(events, "after")).isInstanceOf(HookCompleted.class);
  }

  @Test
  void hookOverItsTimeoutIsErrored() throws Exception {
    startRunner();
    publish(succeeded("sleepy", 1, Map.of()));

    List<HookEvent> events = awaitHookEvents("sleepy", 4);
    HookErrored errored = (HookErrored) outcome(events, "slow_hook");
    assertThat(errored.getError().getType()).isEqualTo("java.util.concurrent.TimeoutException");
    assertThat(errored.getError().getMessage()).contains("slow_hook").contains("PT0.2S");
    assertThat(outcome(events, "after")).isInstanceOf(HookCompleted.class);
  }

  @Test
  void sameTerminalEventTwiceFiresEachHookOnce() throws Exception {
    startRunner();
    StepEvent event = succeeded("fetch", 1, Map.of("rows", "3"));
    publish(event);
    publish(event);
    publish(succeeded("load", 1, Map.of())); // marker, read after both

    awaitHookEvents("load", 4);
    assertThat(hookEvents("fetch")).hasSize(2);
    assertThat(FIRED.get(key("fetch", 1, "notify_ok")).get()).isEqualTo(1);
  }

  @Test
  void restartedRunnerFiresEveryPendingHookExactlyOnce() throws Exception {
    HooksRunner first = startRunner();
    publish(succeeded("fetch", 1, Map.of("rows", "3")));
    awaitHookEvents("fetch", 2);
    first.close();
    runners.remove(first);

    publish(succeeded("load", 1, Map.of()));
    publish(succeeded("sleepy", 1, Map.of()));
    rewindGroupToTheBeginning(); // redelivers the fetch event too
    startRunner();

    awaitHookEvents("load", 4);
    awaitHookEvents("sleepy", 4);
    assertThat(FIRED.get(key("fetch", 1, "notify_ok")).get()).isEqualTo(1);
    assertThat(FIRED.get(key("load", 1, "notify_ok")).get()).isEqualTo(1);
    assertThat(FIRED.get(key("load", 1, "after")).get()).isEqualTo(1);
    assertThat(FIRED.get(key("sleepy", 1, "after")).get()).isEqualTo(1);
    assertThat(hookEvents("fetch")).hasSize(2);
  }

  @Test
  void undecodableOrUnknownStepEventsGoToDeadLetterAndTheRunnerKeepsGoing() throws Exception {
    startRunner();
    fixture.sendRaw(
        fixture.topics.stepEvents(),
        runId,
        "garbage".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        new org.apache.kafka.common.header.internals.RecordHeaders());
    StepEvent unknown =
        new StepEvent(
            runId,
            "x",
            1,
            "no_such_job",
            "x",
            Instant.now(),
            new StepSucceeded(Map.of(), 1L, null),
            null);
    publish(unknown);
    var probe = new org.apache.kafka.common.header.internals.RecordHeaders();
    io.opflow.schemas.EventHeaders.set(
        probe,
        io.opflow.schemas.EventHeaders.EVENT_TYPE,
        io.opflow.schemas.EventHeaders.LEASE_PROBE_TYPE);
    io.opflow.schemas.EventHeaders.set(
        probe, io.opflow.schemas.EventHeaders.LEASE_PROBE, "coordinator@1");
    fixture.sendRaw(fixture.topics.stepEvents(), runId, null, probe); // skipped, not dead-lettered
    publish(succeeded("load", 1, Map.of()));

    awaitHookEvents("load", 4);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fixture.readAll(fixture.topics.deadLetter()).size() == 2);
    var dead = fixture.readAll(fixture.topics.deadLetter());
    assertThat(dead)
        .allSatisfy(
            r ->
                assertThat(
                        io.opflow.schemas.EventHeaders.lastValue(
                            r.headers(), io.opflow.schemas.EventHeaders.DLQ_SOURCE_TOPIC))
                    .contains(fixture.topics.stepEvents()));
    assertThat(
            dead.stream()
                .map(
                    r ->
                        io.opflow.schemas.EventHeaders.lastValue(
                                r.headers(), io.opflow.schemas.EventHeaders.DLQ_ERROR)
                            .orElse(""))
                .toList())
        .anySatisfy(e -> assertThat(e).contains("EventDecodingException"))
        .anySatisfy(e -> assertThat(e).contains("unknown job 'no_such_job'"));
    assertThat(runners.get(0).isHealthy()).isTrue();
  }

  @Test
  void failureSensorFiresOnRunFailedOnly() throws Exception {
    startRunner();
    String other = UUID.randomUUID().toString();
    publishRun(new RunEvent(other, "etl", Instant.now(), new RunSucceeded(10L)));
    publishRun(
        new RunEvent(runId, "etl", Instant.now(), new RunFailed(List.of("load"), "load failed")));

    await().atMost(Duration.ofSeconds(30)).until(() -> sensed(runId) != null);
    RunStatusContext ctx = sensed(runId);
    assertThat(ctx.status()).isEqualTo(RunStatus.FAILED);
    assertThat(ctx.failedSteps()).containsExactly("load");
    assertThat(ctx.message()).isEqualTo("load failed");
    assertThat(sensed(other)).isNull();
  }

  @Test
  void aSensorFiresOncePerRunEvenWhenARestartedRunnerReadsTheRunEventAgain() throws Exception {
    HooksRunner first = startRunner();
    publishRun(
        new RunEvent(runId, "etl", Instant.now(), new RunFailed(List.of("load"), "load failed")));
    await().atMost(Duration.ofSeconds(30)).until(() -> sensorEvents(runId).size() == 1);
    first.close();
    runners.remove(first);

    rewindGroupToTheBeginning(); // the run event is read again
    startRunner();
    String marker = UUID.randomUUID().toString();
    publishRun(
        new RunEvent(marker, "etl", Instant.now(), new RunFailed(List.of("load"), "load failed")));
    await().atMost(Duration.ofSeconds(30)).until(() -> sensorEvents(marker).size() == 1);

    assertThat(SENSED.stream().filter(c -> c.runId().equals(runId))).hasSize(1);
    HookEvent recorded = sensorEvents(runId).get(0);
    assertThat(recorded.getRunSensor()).isTrue();
    assertThat(recorded.getHookName()).isEqualTo("alert");
    assertThat(recorded.getIdempotencyKey()).isEqualTo(runId + "/sensor/alert");
    assertThat(recorded.getPayload()).isInstanceOf(HookCompleted.class);
  }

  private List<HookEvent> sensorEvents(String run) {
    return fixture.events(fixture.topics.hookEvents(), OpflowSerdes.hookEvents()).stream()
        .filter(e -> e.getRunId().equals(run) && e.getRunSensor())
        .toList();
  }

  private HooksRunner startRunner() {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    props.put(HooksRunnerConfig.GROUP_ID_CONFIG, groupId);
    props.put(RuntimeConfig.TOPIC_PREFIX_CONFIG, fixture.topics.prefix());
    Map<String, String> env = Map.of("SOURCE_URL", "https://example.test/data");
    HooksRunner runner =
        HooksRunner.start(HooksRunnerConfig.of(props), DEFINITIONS, registry, env::get);
    runners.add(runner);
    return runner;
  }

  private void rewindGroupToTheBeginning() throws Exception {
    Map<TopicPartition, OffsetAndMetadata> zero = new HashMap<>();
    for (int p = 0; p < 2; p++) {
      zero.put(new TopicPartition(fixture.topics.stepEvents(), p), new OffsetAndMetadata(0));
      zero.put(new TopicPartition(fixture.topics.runEvents(), p), new OffsetAndMetadata(0));
    }
    try (Admin admin = Admin.create(kafka.broker().adminConfig())) {
      admin.alterConsumerGroupOffsets(groupId, zero).all().get(10, TimeUnit.SECONDS);
    }
  }

  private StepEvent upForRetry(String step, int attempt) {
    ErrorInfo error =
        ErrorInfo.newBuilder()
            .setType("WorkerLost")
            .setStackFrames(List.of())
            .setRetriable(true)
            .build();
    return event(step, attempt, new StepUpForRetry(attempt + 1, Instant.now(), error));
  }

  private StepEvent succeeded(String step, int attempt, Map<String, String> outputs) {
    return event(step, attempt, new StepSucceeded(outputs, 7L, null));
  }

  private StepEvent event(String step, int attempt, Object payload) {
    return new StepEvent(runId, step, attempt, "etl", step, Instant.now(), payload, RUN_CONFIG);
  }

  private void publish(StepEvent event) throws Exception {
    fixture.send(fixture.topics.stepEvents(), event.getRunId(), event, OpflowSerdes.stepEvents());
  }

  private void publishRun(RunEvent event) throws Exception {
    fixture.send(fixture.topics.runEvents(), event.getRunId(), event, OpflowSerdes.runEvents());
  }

  private List<HookEvent> hookEvents(String step) {
    return fixture.events(fixture.topics.hookEvents(), OpflowSerdes.hookEvents()).stream()
        .filter(e -> e.getRunId().equals(runId) && e.getStepKey().equals(step))
        .toList();
  }

  private List<HookEvent> awaitHookEvents(String step, int count) {
    await().atMost(Duration.ofSeconds(30)).until(() -> hookEvents(step).size() >= count);
    return hookEvents(step);
  }

  private static Object outcome(List<HookEvent> events, String hook) {
    return events.stream()
        .filter(e -> e.getHookName().equals(hook))
        .findFirst()
        .orElseThrow()
        .getPayload();
  }

  private String key(String step, int attempt, String hook) {
    return HookContext.idempotencyKey(runId, step, attempt, hook);
  }

  private static RunStatusContext sensed(String runId) {
    return SENSED.stream().filter(c -> c.runId().equals(runId)).findFirst().orElse(null);
  }
}
