package io.opflow.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opflow.core.Definitions;
import io.opflow.core.HookContext;
import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.RetryPolicy;
import io.opflow.core.RunStatusSensor;
import io.opflow.core.config.NoConfig;
import io.opflow.core.execution.RunStatus;
import io.opflow.core.spi.SecretValues;
import io.opflow.events.ErrorInfo;
import io.opflow.events.HookCompleted;
import io.opflow.events.HookErrored;
import io.opflow.events.HookEvent;
import io.opflow.events.HookKind;
import io.opflow.events.HookSkipped;
import io.opflow.events.RunCanceled;
import io.opflow.events.RunEvent;
import io.opflow.events.RunFailed;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepSucceeded;
import io.opflow.events.StepUpForRetry;
import io.opflow.runtime.RuntimeConfig;
import io.opflow.runtime.testing.TopicsFixture;
import io.opflow.schemas.EventHeaders;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.testkit.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What happens when steps and hooks fail, on a real broker: retry hooks, hook retry policies and
 * the hook dead letter (what fires, how often, what is recorded, and that a retrying hook holds up
 * no other run), and a secret in a hook's error masked in its record.
 */
@Timeout(120)
class HookFailurePathsTest {

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  /** Every call a handler saw: "hook|key|attempt|try|next attempt", in the order they ran. */
  private static final List<String> CALLS = new CopyOnWriteArrayList<>();

  /** When each key's handler last returned normally. */
  private static final Map<String, Instant> COMPLETED_AT = new ConcurrentHashMap<>();

  private static void record(HookContext ctx) {
    CALLS.add(
        String.join(
            "|",
            ctx.hookDefinition().name(),
            ctx.idempotencyKey(),
            Integer.toString(ctx.attempt()),
            Integer.toString(ctx.tryNumber()),
            ctx.nextAttempt().map(n -> Integer.toString(n.attempt())).orElse("-")));
  }

  private static final HookDefinition WARN_ON_RETRY =
      HookDefinition.retryHook("warn_on_retry").handler(HookFailurePathsTest::record);
  private static final HookDefinition PAGE =
      HookDefinition.failureHook("page").handler(HookFailurePathsTest::record);

  private static final HookDefinition FLAKY_NOTIFY =
      HookDefinition.successHook("flaky_notify")
          .retryPolicy(RetryPolicy.builder().maxRetries(3).delay(Duration.ofMillis(1500)).build())
          .handler(
              ctx -> {
                record(ctx);
                if (ctx.tryNumber() < 3) {
                  throw new IllegalStateException("receiver down, try " + ctx.tryNumber());
                }
                COMPLETED_AT.put(ctx.idempotencyKey(), Instant.now());
              });
  private static final HookDefinition ALWAYS_FAILS =
      HookDefinition.successHook("always_fails")
          .retryPolicy(RetryPolicy.builder().maxRetries(1).delay(Duration.ofMillis(100)).build())
          .handler(
              ctx -> {
                record(ctx);
                throw new IllegalStateException("never works");
              });
  private static final HookDefinition QUICK =
      HookDefinition.successHook("quick")
          .handler(
              ctx -> {
                record(ctx);
                COMPLETED_AT.put(ctx.idempotencyKey(), Instant.now());
              });

  /** Config of an op that calls an API with a token. */
  public record TokenConfig(String token) {}

  private static final String SECRET = "sk-live-" + UUID.randomUUID();

  private static final HookDefinition LEAKY =
      HookDefinition.failureHook("leaky")
          .handler(
              ctx -> {
                throw new IllegalStateException(
                    "webhook refused token " + ctx.opConfig(TokenConfig.class).token());
              });

  private static final OpDefinition<TokenConfig> CALL_API =
      OpDefinition.builder("call_api").config(TokenConfig.class).body(ctx -> null);

  private static final Map<String, AtomicInteger> SENSOR_CALLS = new ConcurrentHashMap<>();

  private static final RunStatusSensor FLAKY_SENSOR =
      RunStatusSensor.onRunFailure("flaky_sensor")
          .retryPolicy(RetryPolicy.builder().maxRetries(2).delay(Duration.ofMillis(300)).build())
          .handler(
              ctx -> {
                int call =
                    SENSOR_CALLS
                        .computeIfAbsent(ctx.idempotencyKey(), k -> new AtomicInteger())
                        .incrementAndGet();
                if (call < 3) {
                  throw new IllegalStateException("pager down, call " + call);
                }
              });
  private static final RunStatusSensor BROKEN_SENSOR =
      RunStatusSensor.onRunStatus("broken_sensor", RunStatus.CANCELED)
          .retryPolicy(RetryPolicy.builder().maxRetries(1).delay(Duration.ofMillis(100)).build())
          .handler(
              ctx -> {
                SENSOR_CALLS
                    .computeIfAbsent(ctx.idempotencyKey(), k -> new AtomicInteger())
                    .incrementAndGet();
                throw new IllegalStateException("never works");
              });

  private static final OpDefinition<NoConfig> CHARGE =
      OpDefinition.builder("charge").body(ctx -> null);
  private static final OpDefinition<NoConfig> NOTIFY =
      OpDefinition.builder("notify").body(ctx -> null);
  private static final OpDefinition<NoConfig> AUDIT =
      OpDefinition.builder("audit").body(ctx -> null);
  private static final OpDefinition<NoConfig> PING = OpDefinition.builder("ping").body(ctx -> null);

  private static final Definitions DEFINITIONS =
      Definitions.builder()
          .jobs(
              JobDefinition.builder("billing")
                  .add(CHARGE.withHooks(WARN_ON_RETRY, PAGE))
                  .add(NOTIFY.withHooks(FLAKY_NOTIFY))
                  .add(AUDIT.withHooks(ALWAYS_FAILS))
                  .add(PING.withHooks(QUICK))
                  .add(CALL_API.withHooks(LEAKY))
                  .build())
          .sensors(FLAKY_SENSOR, BROKEN_SENSOR)
          .build();

  private TopicsFixture fixture;
  private final List<HooksRunner> runners = new ArrayList<>();
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
  void aRetryHookFiresForEachRetriedAttemptAndNeverForTheFinalFailure() throws Exception {
    startRunner();
    publish(upForRetry("charge", 1));
    publish(upForRetry("charge", 2));
    publish(failed("charge", 3));

    List<HookEvent> events = awaitHookEvents("charge", 6);
    assertThat(calls("warn_on_retry"))
        .containsExactly(
            "warn_on_retry|" + key("charge", 1, "warn_on_retry") + "|1|1|2",
            "warn_on_retry|" + key("charge", 2, "warn_on_retry") + "|2|1|3");
    assertThat(calls("page")).containsExactly("page|" + key("charge", 3, "page") + "|3|1|-");
    HookEvent retried = event(events, 1, "warn_on_retry");
    assertThat(retried.getPayload()).isInstanceOf(HookCompleted.class);
    assertThat(retried.getRetryHook()).isTrue();
    assertThat(retried.getHookKind()).isEqualTo(HookKind.FAILURE);
    assertThat(event(events, 1, "page").getPayload()).isInstanceOf(HookSkipped.class);
    assertThat(event(events, 3, "warn_on_retry").getPayload()).isInstanceOf(HookSkipped.class);
    assertThat(event(events, 3, "page").getPayload()).isInstanceOf(HookCompleted.class);
  }

  @Test
  void
      aHookThatFailsTwiceThenSucceedsIsRecordedThreeTimesAndCompletesOnceWithoutHoldingUpOtherRuns()
          throws Exception {
    startRunner();
    String otherRun = runOnTheSamePartitionAs(runId);
    publish(succeeded(runId, "notify", 1));
    publish(succeeded(otherRun, "ping", 1)); // behind it in the same partition, so the same lane

    List<HookEvent> events = awaitHookEvents("notify", 3);
    String key = key("notify", 1, "flaky_notify");
    assertThat(events).extracting(HookEvent::getIdempotencyKey).containsOnly(key);
    assertThat(events).extracting(HookEvent::getTryNumber).containsExactly(1, 2, 3);
    assertThat(events.get(0).getPayload()).isInstanceOf(HookErrored.class);
    assertThat(events.get(0).getNextTryAt()).isNotNull();
    assertThat(events.get(1).getPayload()).isInstanceOf(HookErrored.class);
    assertThat(events.get(2).getPayload()).isInstanceOf(HookCompleted.class);
    assertThat(events.get(2).getNextTryAt()).isNull();
    assertThat(calls("flaky_notify")).hasSize(3);
    assertThat(COMPLETED_AT).containsKey(key);
    // The other run's hook did not wait for the retries: it completed before the last try.
    String otherKey = HookContext.idempotencyKey(otherRun, "ping", 1, "quick");
    assertThat(COMPLETED_AT.get(otherKey)).isBefore(COMPLETED_AT.get(key));
    Thread.sleep(2000); // nothing more follows the last try
    assertThat(hookEvents("notify")).hasSize(3);
    assertThat(deadLetters()).isEmpty();
  }

  @Test
  void aHookThatAlwaysFailsEndsInTheHookDeadLetterWithTheStepEventItFiredFor() throws Exception {
    startRunner();
    StepEvent event = succeeded(runId, "audit", 1);
    publish(event);

    List<HookEvent> events = awaitHookEvents("audit", 2);
    assertThat(events).extracting(HookEvent::getTryNumber).containsExactly(1, 2);
    assertThat(events.get(1).getNextTryAt()).isNull();
    await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters().size() == 1);
    ConsumerRecord<byte[], byte[]> dead = deadLetters().get(0);
    assertThat(header(dead, EventHeaders.DLQ_HOOK_NAME)).isEqualTo("always_fails");
    assertThat(header(dead, EventHeaders.DLQ_HOOK_KEY)).isEqualTo(key("audit", 1, "always_fails"));
    assertThat(header(dead, EventHeaders.DLQ_HOOK_TRIES)).isEqualTo("2");
    assertThat(header(dead, EventHeaders.DLQ_ERROR)).contains("never works");
    assertThat(header(dead, EventHeaders.DLQ_SOURCE_TOPIC)).isEqualTo(fixture.topics.stepEvents());
    StepEvent source =
        OpflowSerdes.stepEvents().deserialize(fixture.topics.stepEvents(), dead.value());
    assertThat(source).isEqualTo(event);

    // The operator fires it again from the dead letter: under the next generation of its key.
    HookReplay.Report replayed =
        HookReplay.run(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            fixture.topics,
            DEFINITIONS,
            HookReplay.Options.builder(HookReplay.Calls.DEAD_LETTERED).runIds(runId).build(),
            name -> null);
    String replayedKey = key("audit", 1, "always_fails") + "/g2";
    assertThat(replayed.calls()).extracting(HookReplay.Call::newKey).containsExactly(replayedKey);
    assertThat(calls("always_fails")).filteredOn(c -> c.contains(replayedKey)).hasSize(2);
    assertThat(hookEvents("audit"))
        .filteredOn(e -> e.getIdempotencyKey().equals(replayedKey))
        .extracting(HookEvent::getGeneration, HookEvent::getTryNumber)
        .containsExactly(tuple(2, 1), tuple(2, 2));
  }

  @Test
  void aRunnerThatStopsBetweenTriesIsFollowedByOneThatGoesOnFromTheNextTry() throws Exception {
    HooksRunner first = startRunner();
    publish(succeeded(runId, "notify", 1));
    awaitHookEvents("notify", 1);
    first.close(); // between try 1 and try 2: the step event's offset is not committed
    runners.remove(first);

    startRunner();

    List<HookEvent> events = awaitHookEvents("notify", 3);
    assertThat(events).extracting(HookEvent::getTryNumber).containsExactly(1, 2, 3);
    assertThat(calls("flaky_notify"))
        .extracting(call -> call.split("\\|", -1)[3])
        .containsExactly("1", "2", "3");
    assertThat(events.get(2).getPayload()).isInstanceOf(HookCompleted.class);
  }

  @Test
  void aHookThatThrowsASecretOfItsOpConfigIsRecordedWithTheSecretMasked() throws Exception {
    startRunner();
    StepEvent failed =
        new StepEvent(
            runId,
            "call_api",
            1,
            "billing",
            "call_api",
            Instant.now(),
            new StepFailed(error(), 5L, Map.of()),
            "{\"ops\":{\"call_api\":{\"config\":{\"token\":{\"env\":\"API_TOKEN\"}}}}}");
    publish(failed);

    HookEvent recorded = awaitHookEvents("call_api", 1).get(0);
    assertThat(((HookErrored) recorded.getPayload()).getError().getMessage())
        .isEqualTo("webhook refused token " + SecretValues.MASK);
    for (ConsumerRecord<byte[], byte[]> record : fixture.readAll(fixture.topics.hookEvents())) {
      assertThat(new String(record.value(), StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
    }
  }

  @Test
  void aSensorThatFailsTwiceIsTriedAgainAndOneThatAlwaysFailsEndsInTheDeadLetter()
      throws Exception {
    startRunner();
    String canceled = UUID.randomUUID().toString();
    publishRun(
        new RunEvent(runId, "billing", Instant.now(), new RunFailed(List.of("charge"), "x")));
    publishRun(new RunEvent(canceled, "billing", Instant.now(), new RunCanceled("operator")));

    await().atMost(Duration.ofSeconds(30)).until(() -> sensorEvents(runId).size() == 3);
    List<HookEvent> flaky = sensorEvents(runId);
    assertThat(flaky).extracting(HookEvent::getTryNumber).containsExactly(1, 2, 3);
    assertThat(flaky)
        .extracting(HookEvent::getIdempotencyKey)
        .containsOnly(runId + "/sensor/flaky_sensor");
    assertThat(flaky.get(0).getNextTryAt()).isNotNull();
    assertThat(flaky.get(2).getPayload()).isInstanceOf(HookCompleted.class);
    assertThat(SENSOR_CALLS.get(runId + "/sensor/flaky_sensor")).hasValue(3);

    await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters().size() == 1);
    ConsumerRecord<byte[], byte[]> dead = deadLetters().get(0);
    assertThat(header(dead, EventHeaders.DLQ_HOOK_NAME)).isEqualTo("broken_sensor");
    assertThat(header(dead, EventHeaders.DLQ_HOOK_KEY))
        .isEqualTo(canceled + "/sensor/broken_sensor");
    assertThat(header(dead, EventHeaders.DLQ_SOURCE_TOPIC)).isEqualTo(fixture.topics.runEvents());
    assertThat(sensorEvents(canceled)).extracting(HookEvent::getTryNumber).containsExactly(1, 2);
    assertThat(SENSOR_CALLS.get(canceled + "/sensor/broken_sensor")).hasValue(2);
  }

  private void publishRun(RunEvent event) throws Exception {
    fixture.send(fixture.topics.runEvents(), event.getRunId(), event, OpflowSerdes.runEvents());
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
    HooksRunner runner =
        HooksRunner.start(
            HooksRunnerConfig.of(props),
            DEFINITIONS,
            new SimpleMeterRegistry(),
            Map.of("API_TOKEN", SECRET)::get);
    runners.add(runner);
    return runner;
  }

  // A run id whose records share a partition (of the fixture's two) with the given run's.
  private static String runOnTheSamePartitionAs(String runId) {
    int partition = partitionOf(runId);
    while (true) {
      String other = UUID.randomUUID().toString();
      if (partitionOf(other) == partition) {
        return other;
      }
    }
  }

  private static int partitionOf(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 2;
  }

  private StepEvent upForRetry(String step, int attempt) {
    return event(
        runId,
        step,
        attempt,
        new StepUpForRetry(attempt + 1, Instant.now().plusSeconds(1), error()));
  }

  private StepEvent failed(String step, int attempt) {
    return event(runId, step, attempt, new StepFailed(error(), 5L, Map.of()));
  }

  private StepEvent succeeded(String run, String step, int attempt) {
    return event(run, step, attempt, new StepSucceeded(Map.of(), 7L, null));
  }

  private static ErrorInfo error() {
    return ErrorInfo.newBuilder()
        .setType(IllegalStateException.class.getName())
        .setMessage("card declined")
        .setStackFrames(List.of())
        .setRetriable(true)
        .build();
  }

  private static StepEvent event(String run, String step, int attempt, Object payload) {
    return new StepEvent(run, step, attempt, "billing", step, Instant.now(), payload, null);
  }

  private void publish(StepEvent event) throws Exception {
    fixture.send(fixture.topics.stepEvents(), event.getRunId(), event, OpflowSerdes.stepEvents());
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

  private List<ConsumerRecord<byte[], byte[]>> deadLetters() {
    return fixture.readAll(fixture.topics.deadLetter());
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    return EventHeaders.lastValue(record.headers(), name).orElse(null);
  }

  private static HookEvent event(List<HookEvent> events, int attempt, String hook) {
    return events.stream()
        .filter(e -> e.getAttempt() == attempt && e.getHookName().equals(hook))
        .findFirst()
        .orElseThrow();
  }

  private List<String> calls(String hook) {
    return CALLS.stream()
        .filter(c -> c.startsWith(hook + "|") && c.contains("|" + runId + "/"))
        .toList();
  }

  private String key(String step, int attempt, String hook) {
    return HookContext.idempotencyKey(runId, step, attempt, hook);
  }
}
