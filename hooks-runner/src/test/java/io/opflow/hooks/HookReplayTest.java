package io.opflow.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.opflow.core.Definitions;
import io.opflow.core.HookContext;
import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.NextAttempt;
import io.opflow.core.OpDefinition;
import io.opflow.core.RetryPolicy;
import io.opflow.core.RunStatusContext;
import io.opflow.core.RunStatusSensor;
import io.opflow.core.UnknownDefinitionException;
import io.opflow.core.config.NoConfig;
import io.opflow.core.execution.RunStatus;
import io.opflow.events.ErrorInfo;
import io.opflow.events.HookCompleted;
import io.opflow.events.HookErrored;
import io.opflow.events.HookEvent;
import io.opflow.events.HookKind;
import io.opflow.events.HookSkipped;
import io.opflow.events.RunEvent;
import io.opflow.events.RunFailed;
import io.opflow.events.RunSucceeded;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepSucceeded;
import io.opflow.events.StepUpForRetry;
import io.opflow.hooks.HookReplay.Call;
import io.opflow.hooks.HookReplay.Calls;
import io.opflow.hooks.HookReplay.Outcome;
import io.opflow.hooks.HookReplay.Report;
import io.opflow.runtime.testing.TopicsFixture;
import io.opflow.schemas.AvroEventSerde;
import io.opflow.schemas.DeadLetter;
import io.opflow.schemas.EventHeaders;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.testkit.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Replay and backfill on a real broker. Each test writes a history of step events and hook events
 * (as workers and a hooks-runner would have) straight into fresh topics, replays, and checks what
 * the hook handlers saw and which hook events were written.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HookReplayTest {

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  /** Config of the fetch op. */
  public record FetchConfig(String url) {}

  /** Every try of every hook handler, by the idempotency key it ran under. */
  private static final Map<String, List<HookContext>> RAN = new ConcurrentHashMap<>();

  private static void record(HookContext ctx) {
    RAN.computeIfAbsent(ctx.idempotencyKey(), k -> new CopyOnWriteArrayList<>()).add(ctx);
  }

  /** Every try of every run status sensor, by run. */
  private static final Map<String, List<RunStatusContext>> SENSED = new ConcurrentHashMap<>();

  private static void sensed(RunStatusContext ctx) {
    SENSED.computeIfAbsent(ctx.runId(), k -> new CopyOnWriteArrayList<>()).add(ctx);
  }

  private static final RunStatusSensor PAGER =
      RunStatusSensor.onRunFailure("pager").jobs("etl").handler(HookReplayTest::sensed);
  // Still fails when fired again: its two tries are recorded.
  private static final RunStatusSensor FLAKY_PAGER =
      RunStatusSensor.onRunFailure("flaky_pager")
          .retryPolicy(RetryPolicy.builder().maxRetries(1).delay(Duration.ofMillis(20)).build())
          .handler(
              ctx -> {
                sensed(ctx);
                throw new IllegalStateException("pager down");
              });
  private static final RunStatusSensor CELEBRATE =
      RunStatusSensor.onRunStatus("celebrate", RunStatus.SUCCEEDED).handler(HookReplayTest::sensed);

  private static final HookDefinition NOTIFY_OK =
      HookDefinition.successHook("notify_ok").handler(HookReplayTest::record);
  private static final HookDefinition ON_FAIL =
      HookDefinition.failureHook("on_fail").handler(HookReplayTest::record);
  private static final HookDefinition FLAKY =
      HookDefinition.successHook("flaky")
          .retryPolicy(RetryPolicy.builder().maxRetries(1).delay(Duration.ofMillis(20)).build())
          .handler(
              ctx -> {
                record(ctx);
                throw new IllegalStateException("still down");
              });
  // Fails as the original call (the receiver was down), works when fired again by a replay.
  private static final HookDefinition WEBHOOK =
      HookDefinition.successHook("webhook")
          .handler(
              ctx -> {
                record(ctx);
                if (!ctx.idempotencyKey().contains("/g")) {
                  throw new IllegalStateException("receiver down");
                }
              });
  private static final HookDefinition AUDIT =
      HookDefinition.successHook("audit").handler(HookReplayTest::record);
  private static final HookDefinition RETRY_ALERT =
      HookDefinition.retryHook("retry_alert").handler(HookReplayTest::record);

  private static final OpDefinition<FetchConfig> FETCH =
      OpDefinition.builder("fetch")
          .config(FetchConfig.class)
          .output("rows", Integer.class)
          .body(ctx -> 3);
  private static final OpDefinition<NoConfig> LOAD = OpDefinition.builder("load").body(ctx -> null);

  /** The jobs as first deployed. */
  private static final Definitions FIRST =
      Definitions.builder()
          .jobs(
              JobDefinition.builder("etl")
                  .hooks(NOTIFY_OK, ON_FAIL)
                  .add(FETCH.withHooks(FLAKY))
                  .add(LOAD.withHooks(WEBHOOK))
                  .build())
          .build();

  /** The same job later, with a success hook for every step and a retry hook on fetch. */
  private static final Definitions LATER =
      Definitions.builder()
          .jobs(
              JobDefinition.builder("etl")
                  .hooks(NOTIFY_OK, ON_FAIL, AUDIT)
                  .add(FETCH.withHooks(FLAKY, RETRY_ALERT))
                  .add(LOAD.withHooks(WEBHOOK))
                  .build())
          .build();

  /** The first jobs, with run status sensors. */
  private static final Definitions WITH_SENSORS =
      Definitions.builder()
          .jobs(FIRST.jobs().values().toArray(new JobDefinition[0]))
          .sensors(PAGER, FLAKY_PAGER, CELEBRATE)
          .build();

  private static final String RUN_CONFIG =
      "{\"ops\":{\"fetch\":{\"config\":{\"url\":{\"env\":\"SOURCE_URL\"}}}}}";
  private static final Map<String, String> ENV = Map.of("SOURCE_URL", "https://example.test/d");
  private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  private TopicsFixture fixture;
  private KafkaProducer<byte[], byte[]> producer;

  @BeforeEach
  void setUp() {
    fixture = new TopicsFixture(kafka.broker());
    producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer());
  }

  @AfterEach
  void tearDown() {
    producer.close();
    fixture.close();
  }

  @Test
  void aDryRunListsTheErroredCallsAndPublishesNothing() throws Exception {
    String failedRun = run();
    String okRun = run();
    String tryingRun = run();
    Written fetched = step(succeeded(failedRun, "fetch", 1, T0));
    hook(fetched, "notify_ok", errored("timeout"), 1, null);
    hook(fetched, "flaky", errored("still down"), 1, null);
    hook(step(succeeded(okRun, "fetch", 1, T0)), "notify_ok", completed(), 1, null);
    // Errored with another try due: the hooks-runner is still at it, so not errored yet.
    hook(step(succeeded(tryingRun, "fetch", 1, T0)), "notify_ok", errored("x"), 1, T0);
    Map<TopicPartition, Long> before = endOffsets(fixture.topics.hookEvents());

    Report report = replay(FIRST, HookReplay.Options.builder(Calls.ERRORED).dryRun(true));

    assertThat(report.dryRun()).isTrue();
    assertThat(report.calls())
        .extracting(Call::key, Call::newKey, Call::outcome)
        .containsExactlyInAnyOrder(
            tuple(
                failedRun + "/fetch/1/notify_ok",
                failedRun + "/fetch/1/notify_ok/g2",
                Outcome.WOULD_FIRE),
            tuple(
                failedRun + "/fetch/1/flaky", failedRun + "/fetch/1/flaky/g2", Outcome.WOULD_FIRE));
    assertThat(endOffsets(fixture.topics.hookEvents())).isEqualTo(before);
    assertThat(ran(failedRun, okRun, tryingRun)).isEmpty();
  }

  @Test
  void aReplayOfATimeRangeFiresEachChosenCallOnceUnderTheNextGeneration() throws Exception {
    String early = run();
    String inRange = run();
    String failedInRange = run();
    String late = run();
    hook(
        step(succeeded(early, "fetch", 1, T0.minusSeconds(60))), "notify_ok", completed(), 1, null);
    Written fetched = step(succeeded(inRange, "fetch", 1, T0.plusSeconds(60)));
    hook(fetched, "notify_ok", completed(), 1, null);
    hook(fetched, "on_fail", skipped(), 1, null); // a skipped call only skips again: left out
    hook(fetched, "flaky", errored("still down"), 1, null);
    Written failed = step(failedEvent(failedInRange, "fetch", 1, T0.plusSeconds(120)));
    hook(failed, "on_fail", completed(), 1, null);
    hook(
        step(succeeded(late, "fetch", 1, T0.plusSeconds(3600))), "notify_ok", completed(), 1, null);

    Report first =
        replay(FIRST, HookReplay.Options.builder(Calls.ALL).from(T0).to(T0.plusSeconds(3600)));

    assertThat(first.calls())
        .extracting(Call::newKey, Call::outcome, Call::tries)
        .containsExactlyInAnyOrder(
            tuple(inRange + "/fetch/1/notify_ok/g2", Outcome.COMPLETED, 1),
            tuple(inRange + "/fetch/1/flaky/g2", Outcome.ERRORED, 2),
            tuple(failedInRange + "/fetch/1/on_fail/g2", Outcome.COMPLETED, 1));
    assertThat(ran(early, inRange, failedInRange, late))
        .containsOnlyKeys(
            inRange + "/fetch/1/notify_ok/g2",
            inRange + "/fetch/1/flaky/g2",
            failedInRange + "/fetch/1/on_fail/g2");
    assertThat(RAN.get(inRange + "/fetch/1/notify_ok/g2")).hasSize(1);
    HookContext seen = RAN.get(inRange + "/fetch/1/notify_ok/g2").get(0);
    assertThat(seen.opConfig()).isEqualTo(new FetchConfig("https://example.test/d"));
    assertThat(seen.opOutputValues()).containsEntry("rows", 3);
    assertThat(RAN.get(inRange + "/fetch/1/flaky/g2"))
        .extracting(HookContext::tryNumber)
        .containsExactly(1, 2);
    assertThat(RAN.get(failedInRange + "/fetch/1/on_fail/g2").get(0).opException().orElseThrow())
        .hasMessage("disk full");

    List<ConsumerRecord<byte[], byte[]>> written = generation(2);
    assertThat(written).hasSize(4); // notify_ok, two tries of flaky, on_fail
    List<HookEvent> flaky =
        written.stream().map(this::decode).filter(e -> e.getHookName().equals("flaky")).toList();
    assertThat(flaky).extracting(HookEvent::getTryNumber).containsExactly(1, 2);
    assertThat(flaky.get(0).getNextTryAt()).isNotNull();
    assertThat(flaky.get(1).getNextTryAt()).isNull();
    assertThat(flaky).allSatisfy(e -> assertThat(e.getPayload()).isInstanceOf(HookErrored.class));
    for (ConsumerRecord<byte[], byte[]> r : written) {
      HookEvent e = decode(r);
      Written source = e.getRunId().equals(inRange) ? fetched : failed;
      assertThat(e.getIdempotencyKey()).endsWith("/g2");
      assertThat(r.partition()).isEqualTo(source.tp().partition());
      assertThat(r.key()).isEqualTo(e.getRunId().getBytes(StandardCharsets.UTF_8));
      assertThat(EventHeaders.lastValue(r.headers(), EventHeaders.HOOK_SOURCE_OFFSET))
          .contains(Long.toString(source.offset()));
    }

    Report second =
        replay(FIRST, HookReplay.Options.builder(Calls.ALL).from(T0).to(T0.plusSeconds(3600)));

    assertThat(second.calls())
        .extracting(Call::newKey)
        .containsExactlyInAnyOrder(
            inRange + "/fetch/1/notify_ok/g3",
            inRange + "/fetch/1/flaky/g3",
            failedInRange + "/fetch/1/on_fail/g3");
    assertThat(RAN.get(inRange + "/fetch/1/notify_ok/g2")).hasSize(1);
    assertThat(RAN.get(inRange + "/fetch/1/notify_ok/g3")).hasSize(1);
    assertThat(generation(3)).hasSize(4);
  }

  @Test
  void aDeadLetteredCallIsFiredFromItsDeadLetter() throws Exception {
    String deadRun = run();
    String fixedRun = run();
    // The step event is only in the dead letter: step-events lost it (retention), and the
    // replay must not need it. Its position says where the hooks-runner read it.
    StepEvent loaded = succeeded(deadRun, "load", 1, T0);
    ConsumerRecord<byte[], byte[]> source = asRead(loaded, 1, 42L);
    hook(
        new Written(loaded, new TopicPartition(fixture.topics.stepEvents(), 1), 42L),
        "webhook",
        errored("receiver down"),
        1,
        null);
    deadLetter(
        DeadLetter.hookCall(
            fixture.topics.deadLetter(),
            source,
            "opflow-hooks-runner",
            "webhook",
            deadRun + "/load/1/webhook",
            1,
            "java.lang.IllegalStateException: receiver down"));
    // An undecodable record, not a hook call: ignored.
    deadLetter(
        DeadLetter.record(
            fixture.topics.deadLetter(),
            new ConsumerRecord<>(fixture.topics.stepEvents(), 0, 7L, new byte[0], new byte[] {1}),
            "opflow-hooks-runner",
            new IllegalArgumentException("garbage")));
    // A dead-lettered call a replay already completed: left out.
    StepEvent fixedEvent = succeeded(fixedRun, "load", 1, T0);
    Written fixed = step(fixedEvent);
    hook(fixed, "webhook", errored("receiver down"), 1, null);
    hook(fixed, "webhook", completed(), 2, null);
    deadLetter(
        DeadLetter.hookCall(
            fixture.topics.deadLetter(),
            asRead(fixedEvent, fixed.tp().partition(), fixed.offset()),
            "opflow-hooks-runner",
            "webhook",
            fixedRun + "/load/1/webhook",
            1,
            "java.lang.IllegalStateException: receiver down"));

    Report report = replay(FIRST, HookReplay.Options.builder(Calls.DEAD_LETTERED));

    assertThat(report.calls())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.key()).isEqualTo(deadRun + "/load/1/webhook");
              assertThat(c.newKey()).isEqualTo(deadRun + "/load/1/webhook/g2");
              assertThat(c.outcome()).isEqualTo(Outcome.COMPLETED);
            });
    assertThat(report.notes()).anySatisfy(n -> assertThat(n).startsWith("1 dead-lettered call"));
    assertThat(ran(deadRun, fixedRun)).containsOnlyKeys(deadRun + "/load/1/webhook/g2");
    assertThat(RAN.get(deadRun + "/load/1/webhook/g2")).hasSize(1);
    assertThat(generation(2))
        .filteredOn(r -> decode(r).getRunId().equals(deadRun))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.partition()).isEqualTo(1);
              assertThat(EventHeaders.lastValue(r.headers(), EventHeaders.HOOK_SOURCE_OFFSET))
                  .contains("42");
              assertThat(decode(r).getPayload()).isInstanceOf(HookCompleted.class);
            });
  }

  @Test
  void aBackfillFiresANewHookForEarlierRunsOnly() throws Exception {
    String old = run();
    String recent = run();
    // An earlier run, its hooks fired by a runner with the first definitions.
    Written discarded = step(upForRetry(old, "fetch", 1, T0));
    for (String hook : List.of("notify_ok", "on_fail", "flaky")) {
      hook(discarded, hook, skipped(), 1, null);
    }
    step(succeeded(old, "fetch", 1, T0.plusSeconds(1))); // the discarded attempt's late result
    Written fetched = step(succeeded(old, "fetch", 2, T0.plusSeconds(2)));
    hook(fetched, "notify_ok", completed(), 1, null);
    hook(fetched, "on_fail", skipped(), 1, null);
    hook(fetched, "flaky", completed(), 1, null);
    Written loadFailed = step(failedEvent(old, "load", 1, T0.plusSeconds(3)));
    hook(loadFailed, "notify_ok", skipped(), 1, null);
    hook(loadFailed, "on_fail", completed(), 1, null);
    hook(loadFailed, "webhook", skipped(), 1, null);
    // A run after the new hooks were deployed: they have hook events.
    Written recentFetch = step(succeeded(recent, "fetch", 1, T0.plusSeconds(10)));
    for (String hook : List.of("notify_ok", "flaky", "audit")) {
      hook(recentFetch, hook, completed(), 1, null);
    }
    hook(recentFetch, "on_fail", skipped(), 1, null);

    Report report = replay(LATER, HookReplay.Options.builder(Calls.MISSING));

    assertThat(report.calls())
        .extracting(Call::newKey, Call::outcome)
        .containsExactly(
            tuple(old + "/fetch/1/retry_alert/g2", Outcome.COMPLETED),
            tuple(old + "/fetch/2/audit/g2", Outcome.COMPLETED));
    assertThat(ran(old, recent))
        .containsOnlyKeys(old + "/fetch/1/retry_alert/g2", old + "/fetch/2/audit/g2");
    HookContext retry = RAN.get(old + "/fetch/1/retry_alert/g2").get(0);
    assertThat(retry.nextAttempt()).contains(new NextAttempt(2, T0.plusSeconds(30)));
    assertThat(retry.opError().orElseThrow().type()).isEqualTo("java.io.IOException");
    assertThat(generation(2))
        .extracting(this::decode)
        .extracting(HookEvent::getHookName, HookEvent::getRetryHook, HookEvent::getHookKind)
        .containsExactly(
            tuple("retry_alert", true, HookKind.FAILURE), tuple("audit", false, HookKind.SUCCESS));

    Report again = replay(LATER, HookReplay.Options.builder(Calls.MISSING));

    assertThat(again.calls()).isEmpty();
    assertThat(RAN.get(old + "/fetch/2/audit/g2")).hasSize(1);
  }

  @Test
  void aRunnerThatReadsTheStepEventsAfterABackfillDoesNotFireTheOriginalCallToo() throws Exception {
    String old = run();
    Written fetched = step(succeeded(old, "fetch", 1, T0));
    hook(fetched, "notify_ok", completed(), 1, null);
    hook(fetched, "on_fail", skipped(), 1, null);
    hook(fetched, "flaky", completed(), 1, null);
    replay(LATER, HookReplay.Options.builder(Calls.MISSING).runIds(old));
    assertThat(RAN).containsKey(old + "/fetch/1/audit/g2");

    // A runner with the new definitions reads the step events from the beginning (a new group).
    String group = fixture.topics.prefix() + "late-runner";
    try (HooksRunner runner = startRunner(group)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> caughtUp(group));
    }

    assertThat(RAN).doesNotContainKey(old + "/fetch/1/audit");
    assertThat(RAN.get(old + "/fetch/1/audit/g2")).hasSize(1);
  }

  private HooksRunner startRunner(String group) {
    Map<String, Object> props = new java.util.HashMap<>();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    props.put(HooksRunnerConfig.GROUP_ID_CONFIG, group);
    props.put(io.opflow.runtime.RuntimeConfig.TOPIC_PREFIX_CONFIG, fixture.topics.prefix());
    return HooksRunner.start(
        HooksRunnerConfig.of(props),
        LATER,
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
        ENV::get);
  }

  // The group has committed past every step event written so far.
  private boolean caughtUp(String group) throws Exception {
    Map<TopicPartition, Long> committed = committed(group);
    return endOffsets(fixture.topics.stepEvents()).entrySet().stream()
        .allMatch(end -> committed.getOrDefault(end.getKey(), 0L) >= end.getValue());
  }

  private Map<TopicPartition, Long> committed(String group) throws Exception {
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(kafka.broker().adminConfig())) {
      Map<TopicPartition, Long> offsets = new java.util.HashMap<>();
      admin
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get(10, TimeUnit.SECONDS)
          .forEach(
              (tp, meta) -> {
                if (tp.topic().equals(fixture.topics.stepEvents())) {
                  offsets.put(tp, meta.offset());
                }
              });
      return offsets;
    }
  }

  @Test
  void aCallWhoseStepEventIsGoneIsReportedAndTheOthersStillFire() throws Exception {
    String goneRun = run();
    String presentRun = run();
    StepEvent lost = succeeded(goneRun, "fetch", 1, T0);
    hook(
        new Written(lost, new TopicPartition(fixture.topics.stepEvents(), 0), 0L),
        "notify_ok",
        errored("timeout"),
        1,
        null);
    hook(step(succeeded(presentRun, "fetch", 1, T0)), "notify_ok", errored("timeout"), 1, null);
    // A run status sensor's call, whose run event is gone too (and whose sensor is not loaded).
    sensorErrored(presentRun, "alert");

    Report report = replay(FIRST, HookReplay.Options.builder(Calls.ERRORED));

    assertThat(report.calls())
        .extracting(Call::key, Call::outcome)
        .containsExactly(
            tuple(presentRun + "/fetch/1/notify_ok", Outcome.COMPLETED),
            tuple(goneRun + "/fetch/1/notify_ok", Outcome.SOURCE_GONE),
            tuple(presentRun + "/sensor/alert", Outcome.SOURCE_GONE));
    assertThat(report.calls().get(1).detail()).contains("no longer in", "retention");
    assertThat(ran(goneRun, presentRun)).containsOnlyKeys(presentRun + "/fetch/1/notify_ok/g2");
    assertThat(generation(2)).extracting(r -> decode(r).getRunId()).containsExactly(presentRun);
  }

  @Test
  void anUnknownJobOrHookIsRefusedNamingWhatIsLoaded() {
    assertThatThrownBy(() -> replay(FIRST, HookReplay.Options.builder(Calls.ALL).job("nope")))
        .isInstanceOf(UnknownDefinitionException.class)
        .hasMessageContaining("unknown job 'nope'")
        .hasMessageContaining("known jobs: etl");
    assertThatThrownBy(() -> replay(FIRST, HookReplay.Options.builder(Calls.MISSING).hook("adit")))
        .isInstanceOf(UnknownDefinitionException.class)
        .hasMessage(
            "no loaded job has a hook 'adit'; hooks loaded: flaky, notify_ok, on_fail, webhook;"
                + " jobs loaded: etl");
    assertThatThrownBy(
            () -> replay(FIRST, HookReplay.Options.builder(Calls.ALL).job("etl").hook("audit")))
        .isInstanceOf(UnknownDefinitionException.class)
        .hasMessage("job 'etl' has no hook 'audit'; its hooks: flaky, notify_ok, on_fail, webhook");
  }

  @Test
  void anErroredSensorCallIsReplayedOnceUnderTheNextGenerationForItsRun() throws Exception {
    String failedRun = run();
    String okRun = run();
    String flakyRun = run();
    WrittenRun failed = runEvent(runFailed(failedRun, T0));
    sensor(failed, "pager", errored("pager down"), 1, 1, null);
    // Completed: not errored, so not chosen.
    sensor(runEvent(runSucceeded(okRun, T0)), "celebrate", completed(), 1, 1, null);
    WrittenRun flaky = runEvent(runFailed(flakyRun, T0));
    sensor(flaky, "flaky_pager", errored("pager down"), 1, 1, T0);
    sensor(flaky, "flaky_pager", errored("pager down"), 1, 2, null);

    Report report = replay(WITH_SENSORS, HookReplay.Options.builder(Calls.ERRORED));

    assertThat(report.calls())
        .extracting(Call::key, Call::newKey, Call::outcome, Call::tries, Call::sensor)
        .containsExactlyInAnyOrder(
            tuple(
                failedRun + "/sensor/pager",
                failedRun + "/sensor/pager/g2",
                Outcome.COMPLETED,
                1,
                true),
            tuple(
                flakyRun + "/sensor/flaky_pager",
                flakyRun + "/sensor/flaky_pager/g2",
                Outcome.ERRORED,
                2,
                true));
    assertThat(SENSED.get(failedRun))
        .singleElement()
        .satisfies(
            ctx -> {
              assertThat(ctx.sensorName()).isEqualTo("pager");
              assertThat(ctx.status()).isEqualTo(RunStatus.FAILED);
              assertThat(ctx.jobName()).isEqualTo("etl");
              assertThat(ctx.failedSteps()).containsExactly("fetch");
              assertThat(ctx.message()).isEqualTo("step fetch failed");
              assertThat(ctx.idempotencyKey()).isEqualTo(failedRun + "/sensor/pager/g2");
            });
    assertThat(SENSED).doesNotContainKey(okRun);
    assertThat(SENSED.get(flakyRun)).hasSize(2);
    List<ConsumerRecord<byte[], byte[]>> replayed = generation(2);
    assertThat(replayed)
        .filteredOn(r -> decode(r).getRunId().equals(failedRun))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.partition()).isEqualTo(failed.tp().partition());
              assertThat(EventHeaders.lastValue(r.headers(), EventHeaders.HOOK_SOURCE_OFFSET))
                  .contains(Long.toString(failed.offset()));
              HookEvent event = decode(r);
              assertThat(event.getRunSensor()).isTrue();
              assertThat(event.getStepKey()).isEmpty();
              assertThat(event.getAttempt()).isZero();
              assertThat(event.getHookName()).isEqualTo("pager");
              assertThat(event.getHookKind()).isEqualTo(HookKind.FAILURE);
              assertThat(event.getIdempotencyKey()).isEqualTo(failedRun + "/sensor/pager/g2");
              assertThat(event.getTryNumber()).isEqualTo(1);
              assertThat(event.getNextTryAt()).isNull();
              assertThat(event.getPayload()).isInstanceOf(HookCompleted.class);
            });
    assertThat(replayed)
        .filteredOn(r -> decode(r).getRunId().equals(flakyRun))
        .extracting(
            r -> decode(r).getTryNumber(),
            r -> decode(r).getNextTryAt() != null,
            r -> decode(r).getPayload().getClass(),
            ConsumerRecord::partition)
        .containsExactly(
            tuple(1, true, HookErrored.class, flaky.tp().partition()),
            tuple(2, false, HookErrored.class, flaky.tp().partition()));
    assertThat(replayed).extracting(r -> decode(r).getRunId()).doesNotContain(okRun);
  }

  @Test
  void aDeadLetteredSensorCallIsFiredFromItsDeadLetter() throws Exception {
    String deadRun = run();
    String fixedRun = run();
    // The run event is only in the dead letter: run-events lost it (retention).
    RunEvent lost = runFailed(deadRun, T0);
    sensor(
        new WrittenRun(lost, new TopicPartition(fixture.topics.runEvents(), 1), 42L),
        "pager",
        errored("pager down"),
        1,
        1,
        null);
    deadLetter(
        DeadLetter.hookCall(
            fixture.topics.deadLetter(),
            asReadRun(lost, 1, 42L),
            "opflow-hooks-runner",
            "pager",
            deadRun + "/sensor/pager",
            1,
            "java.lang.IllegalStateException: pager down"));
    // A dead-lettered sensor call a replay already completed: left out.
    WrittenRun fixed = runEvent(runFailed(fixedRun, T0));
    sensor(fixed, "pager", errored("pager down"), 1, 1, null);
    sensor(fixed, "pager", completed(), 2, 1, null);
    deadLetter(
        DeadLetter.hookCall(
            fixture.topics.deadLetter(),
            asReadRun(fixed.event(), fixed.tp().partition(), fixed.offset()),
            "opflow-hooks-runner",
            "pager",
            fixedRun + "/sensor/pager",
            1,
            "java.lang.IllegalStateException: pager down"));

    Report report = replay(WITH_SENSORS, HookReplay.Options.builder(Calls.DEAD_LETTERED));

    assertThat(report.calls())
        .extracting(Call::key, Call::newKey, Call::outcome, Call::jobName, Call::sensor)
        .containsExactly(
            tuple(
                deadRun + "/sensor/pager",
                deadRun + "/sensor/pager/g2",
                Outcome.COMPLETED,
                "etl",
                true));
    assertThat(report.notes()).anySatisfy(n -> assertThat(n).startsWith("1 dead-lettered call"));
    assertThat(SENSED.get(deadRun))
        .singleElement()
        .satisfies(
            ctx -> {
              assertThat(ctx.status()).isEqualTo(RunStatus.FAILED);
              assertThat(ctx.failedSteps()).containsExactly("fetch");
            });
    assertThat(SENSED).doesNotContainKey(fixedRun);
    assertThat(generation(2))
        .filteredOn(r -> decode(r).getRunId().equals(deadRun))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.partition()).isEqualTo(1);
              assertThat(EventHeaders.lastValue(r.headers(), EventHeaders.HOOK_SOURCE_OFFSET))
                  .contains("42");
              assertThat(decode(r).getRunSensor()).isTrue();
              assertThat(decode(r).getIdempotencyKey()).isEqualTo(deadRun + "/sensor/pager/g2");
              assertThat(decode(r).getPayload()).isInstanceOf(HookCompleted.class);
            });
  }

  @Test
  void aDryRunListsSensorCallsByTheirFiltersAndPublishesNothing() throws Exception {
    String failedRun = run();
    String okRun = run();
    sensor(runEvent(runFailed(failedRun, T0)), "pager", errored("pager down"), 1, 1, null);
    sensor(runEvent(runSucceeded(okRun, T0)), "celebrate", completed(), 1, 1, null);
    Map<TopicPartition, Long> before = endOffsets(fixture.topics.hookEvents());

    Report errored =
        replay(
            WITH_SENSORS,
            HookReplay.Options.builder(Calls.ERRORED).job("etl").hook("pager").dryRun(true));
    Report all =
        replay(WITH_SENSORS, HookReplay.Options.builder(Calls.ALL).runIds(okRun).dryRun(true));
    Report later =
        replay(
            WITH_SENSORS,
            HookReplay.Options.builder(Calls.ALL)
                .runIds(failedRun, okRun)
                .from(T0.plusSeconds(1))
                .dryRun(true));

    assertThat(errored.calls())
        .extracting(Call::key, Call::newKey, Call::outcome, Call::sensor)
        .containsExactly(
            tuple(
                failedRun + "/sensor/pager",
                failedRun + "/sensor/pager/g2",
                Outcome.WOULD_FIRE,
                true));
    assertThat(all.calls())
        .extracting(Call::key, Call::outcome)
        .containsExactly(tuple(okRun + "/sensor/celebrate", Outcome.WOULD_FIRE));
    assertThat(later.calls()).isEmpty();
    assertThat(endOffsets(fixture.topics.hookEvents())).isEqualTo(before);
    assertThat(SENSED).doesNotContainKeys(failedRun, okRun);
    assertThatThrownBy(
            () -> replay(WITH_SENSORS, HookReplay.Options.builder(Calls.ALL).hook("pagr")))
        .isInstanceOf(UnknownDefinitionException.class)
        .hasMessageContaining("no loaded job has a hook 'pagr'")
        .hasMessageContaining("sensors loaded: celebrate, flaky_pager, pager");
  }

  // --- history ---

  /** A step event as written, and where. */
  private record Written(StepEvent event, TopicPartition tp, long offset) {}

  /** A run event as written, and where. */
  private record WrittenRun(RunEvent event, TopicPartition tp, long offset) {}

  private static RunEvent runFailed(String runId, Instant at) {
    return new RunEvent(runId, "etl", at, new RunFailed(List.of("fetch"), "step fetch failed"));
  }

  private static RunEvent runSucceeded(String runId, Instant at) {
    return new RunEvent(runId, "etl", at, new RunSucceeded(1200L));
  }

  private WrittenRun runEvent(RunEvent event) throws Exception {
    RecordMetadata at =
        send(
            fixture.topics.runEvents(),
            event.getRunId(),
            event,
            OpflowSerdes.runEvents(),
            new RecordHeaders(),
            null);
    return new WrittenRun(event, new TopicPartition(at.topic(), at.partition()), at.offset());
  }

  /**
   * Writes a sensor call's try as the hooks-runner records it, for the run event {@code source}.
   */
  private void sensor(
      WrittenRun source,
      String sensor,
      Object payload,
      int generation,
      int tryNumber,
      Instant nextTryAt)
      throws Exception {
    RunEvent e = source.event();
    String key = RunStatusContext.idempotencyKey(e.getRunId(), sensor, generation);
    HookEvent event =
        HookEvent.newBuilder()
            .setRunId(e.getRunId())
            .setStepKey("")
            .setAttempt(0)
            .setHookName(sensor)
            .setHookKind(
                e.getPayload() instanceof RunSucceeded ? HookKind.SUCCESS : HookKind.FAILURE)
            .setIdempotencyKey(key)
            .setRunSensor(true)
            .setTimestamp(e.getTimestamp().plusMillis(10))
            .setTryNumber(tryNumber)
            .setNextTryAt(nextTryAt)
            .setGeneration(generation)
            .setPayload(payload)
            .build();
    RecordHeaders headers = new RecordHeaders();
    EventHeaders.set(headers, EventHeaders.HOOK_SOURCE_OFFSET, Long.toString(source.offset()));
    send(
        fixture.topics.hookEvents(),
        e.getRunId(),
        event,
        OpflowSerdes.hookEvents(),
        headers,
        source.tp().partition());
  }

  /** The run event as the hooks-runner would have read it, at a given position. */
  private ConsumerRecord<byte[], byte[]> asReadRun(RunEvent event, int partition, long offset) {
    RecordHeaders headers = new RecordHeaders();
    byte[] value = OpflowSerdes.runEvents().serialize(fixture.topics.runEvents(), headers, event);
    byte[] key = event.getRunId().getBytes(StandardCharsets.UTF_8);
    return new ConsumerRecord<>(
        fixture.topics.runEvents(),
        partition,
        offset,
        event.getTimestamp().toEpochMilli(),
        TimestampType.CREATE_TIME,
        key.length,
        value.length,
        key,
        value,
        headers,
        Optional.empty());
  }

  private static String run() {
    return UUID.randomUUID().toString();
  }

  private Report replay(Definitions definitions, HookReplay.Options.Builder options) {
    return HookReplay.run(
        Map.of("bootstrap.servers", kafka.bootstrapServers()),
        fixture.topics,
        definitions,
        options.timeout(Duration.ofSeconds(20)).build(),
        ENV::get);
  }

  private static StepEvent succeeded(String runId, String step, int attempt, Instant at) {
    Map<String, String> outputs = step.equals("fetch") ? Map.of("rows", "3") : Map.of();
    return event(runId, step, attempt, at, new StepSucceeded(outputs, 7L, null));
  }

  private static StepEvent failedEvent(String runId, String step, int attempt, Instant at) {
    return event(runId, step, attempt, at, new StepFailed(error("disk full"), 5L, Map.of()));
  }

  private static StepEvent upForRetry(String runId, String step, int attempt, Instant at) {
    return event(
        runId,
        step,
        attempt,
        at,
        new StepUpForRetry(attempt + 1, T0.plusSeconds(30), error("connection reset")));
  }

  private static StepEvent event(
      String runId, String step, int attempt, Instant at, Object payload) {
    return new StepEvent(runId, step, attempt, "etl", step, at, payload, RUN_CONFIG);
  }

  private static ErrorInfo error(String message) {
    return ErrorInfo.newBuilder()
        .setType("java.io.IOException")
        .setMessage(message)
        .setStackFrames(List.of())
        .setRetriable(false)
        .build();
  }

  private static Object completed() {
    return new HookCompleted(3L);
  }

  private static Object skipped() {
    return new HookSkipped("does not apply");
  }

  private static Object errored(String message) {
    return new HookErrored(error(message));
  }

  private Written step(StepEvent event) throws Exception {
    RecordMetadata at =
        send(
            fixture.topics.stepEvents(),
            event.getRunId(),
            event,
            OpflowSerdes.stepEvents(),
            new RecordHeaders(),
            null);
    return new Written(event, new TopicPartition(at.topic(), at.partition()), at.offset());
  }

  /** Writes a hook event as a hooks-runner would have, for the step event {@code source}. */
  private void hook(Written source, String hook, Object payload, int generation, Instant nextTryAt)
      throws Exception {
    StepEvent e = source.event();
    boolean retry = hook.equals("retry_alert");
    HookKind kind = retry || hook.equals("on_fail") ? HookKind.FAILURE : HookKind.SUCCESS;
    HookEvent event =
        HookEvent.newBuilder()
            .setRunId(e.getRunId())
            .setStepKey(e.getStepKey())
            .setAttempt(e.getAttempt())
            .setHookName(hook)
            .setHookKind(kind)
            .setRetryHook(retry)
            .setIdempotencyKey(
                HookContext.idempotencyKey(
                    e.getRunId(), e.getStepKey(), e.getAttempt(), hook, generation))
            .setTimestamp(e.getTimestamp().plusMillis(10))
            .setTryNumber(1)
            .setNextTryAt(nextTryAt)
            .setGeneration(generation)
            .setPayload(payload)
            .build();
    RecordHeaders headers = new RecordHeaders();
    EventHeaders.set(headers, EventHeaders.HOOK_SOURCE_OFFSET, Long.toString(source.offset()));
    send(
        fixture.topics.hookEvents(),
        e.getRunId(),
        event,
        OpflowSerdes.hookEvents(),
        headers,
        source.tp().partition());
  }

  /** Writes the record of a run status sensor call that errored, as main's hooks-runner does. */
  private void sensorErrored(String runId, String sensor) throws Exception {
    HookEvent event =
        HookEvent.newBuilder()
            .setRunId(runId)
            .setStepKey("")
            .setAttempt(0)
            .setHookName(sensor)
            .setHookKind(HookKind.FAILURE)
            .setIdempotencyKey(runId + "/sensor/" + sensor)
            .setRunSensor(true)
            .setTimestamp(T0)
            .setPayload(errored("pager down"))
            .build();
    send(
        fixture.topics.hookEvents(),
        runId,
        event,
        OpflowSerdes.hookEvents(),
        new RecordHeaders(),
        null);
  }

  private <T extends SpecificRecord> RecordMetadata send(
      String topic,
      String key,
      T event,
      AvroEventSerde<T> serde,
      RecordHeaders headers,
      Integer partition)
      throws Exception {
    byte[] value = serde.serialize(topic, headers, event);
    return producer
        .send(
            new ProducerRecord<>(
                topic, partition, key.getBytes(StandardCharsets.UTF_8), value, headers))
        .get(10, TimeUnit.SECONDS);
  }

  /** The step event as the hooks-runner would have read it, at a given position. */
  private ConsumerRecord<byte[], byte[]> asRead(StepEvent event, int partition, long offset) {
    RecordHeaders headers = new RecordHeaders();
    byte[] value = OpflowSerdes.stepEvents().serialize(fixture.topics.stepEvents(), headers, event);
    byte[] key = event.getRunId().getBytes(StandardCharsets.UTF_8);
    return new ConsumerRecord<>(
        fixture.topics.stepEvents(),
        partition,
        offset,
        event.getTimestamp().toEpochMilli(),
        TimestampType.CREATE_TIME,
        key.length,
        value.length,
        key,
        value,
        headers,
        Optional.empty());
  }

  private void deadLetter(ProducerRecord<byte[], byte[]> record) throws Exception {
    producer.send(record).get(10, TimeUnit.SECONDS);
  }

  // --- what happened ---

  /** The hook calls that ran for these runs, by key. */
  private static Map<String, List<HookContext>> ran(String... runIds) {
    Map<String, List<HookContext>> ran = new java.util.HashMap<>();
    RAN.forEach(
        (key, tries) -> {
          for (String runId : runIds) {
            if (key.startsWith(runId + "/")) {
              ran.put(key, tries);
            }
          }
        });
    return ran;
  }

  /** The hook events of a generation written so far, in each partition's order. */
  private List<ConsumerRecord<byte[], byte[]>> generation(int generation) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : fixture.readAll(fixture.topics.hookEvents())) {
      if (decode(r).getGeneration() == generation) {
        out.add(r);
      }
    }
    return out;
  }

  private HookEvent decode(ConsumerRecord<byte[], byte[]> r) {
    return OpflowSerdes.hookEvents().deserialize(r.topic(), r.value());
  }

  private Map<TopicPartition, Long> endOffsets(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> tps =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      return consumer.endOffsets(tps);
    }
  }
}
