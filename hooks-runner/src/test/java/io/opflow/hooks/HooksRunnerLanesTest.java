package io.opflow.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opflow.core.Definitions;
import io.opflow.core.HookContext;
import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.ResourceDefinition;
import io.opflow.events.HookCompleted;
import io.opflow.events.HookErrored;
import io.opflow.events.HookEvent;
import io.opflow.events.RunEvent;
import io.opflow.events.RunSucceeded;
import io.opflow.events.StepEvent;
import io.opflow.events.StepSucceeded;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pipelined hooks-runner on a real broker: lanes per partition, pausing, slow and timed-out
 * hooks, read-committed isolation, per-run resources, send failures and rebalances.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HooksRunnerLanesTest {

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  private static final int PARTITIONS = 2;
  private static final long SLOW_MILLIS = 8_000;

  /** Firings by idempotency key. */
  private static final Map<String, AtomicInteger> FIRED = new ConcurrentHashMap<>();

  /** Attempts whose hook fired, by run, in firing order. */
  private static final Map<String, List<Integer>> ORDER = new ConcurrentHashMap<>();

  /** Whether a timed-out hook saw isCanceled() when it was interrupted, by idempotency key. */
  private static final Map<String, Boolean> CANCELED_SEEN = new ConcurrentHashMap<>();

  /** Resources built and closed, by run id. */
  private static final Map<String, AtomicInteger> BUILT = new ConcurrentHashMap<>();

  private static final Map<String, AtomicInteger> CLOSED = new ConcurrentHashMap<>();

  private static void record(HookContext ctx) {
    FIRED.computeIfAbsent(ctx.idempotencyKey(), k -> new AtomicInteger()).incrementAndGet();
    ORDER.computeIfAbsent(ctx.runId(), k -> new CopyOnWriteArrayList<>()).add(ctx.attempt());
  }

  private static final HookDefinition QUICK =
      HookDefinition.successHook("quick").handler(HooksRunnerLanesTest::record);

  /** Holds paced hooks back until a test lets them go; open unless a test closes it. */
  private static volatile CountDownLatch gate = new CountDownLatch(0);

  private static final HookDefinition PACED =
      HookDefinition.successHook("paced")
          .handler(
              ctx -> {
                record(ctx);
                gate.await();
                Thread.sleep(200);
              });
  private static final HookDefinition SLOW =
      HookDefinition.successHook("slow")
          .timeout(Duration.ofSeconds(30))
          .handler(
              ctx -> {
                record(ctx);
                Thread.sleep(SLOW_MILLIS); // longer than the test's max.poll.interval.ms
              });
  private static final HookDefinition TIMES_OUT =
      HookDefinition.successHook("times_out")
          .timeout(Duration.ofMillis(300))
          .handler(
              ctx -> {
                record(ctx);
                try {
                  Thread.sleep(20_000);
                } catch (InterruptedException e) {
                  CANCELED_SEEN.put(ctx.idempotencyKey(), ctx.isCanceled());
                  throw e;
                }
              });
  private static final HookDefinition USES_CLIENT =
      HookDefinition.successHook("uses_client")
          .requiredResourceKeys("client")
          .handler(
              ctx -> {
                assertThat(ctx.resource("client", String.class)).isEqualTo(ctx.runId());
                record(ctx);
              });

  private static final ResourceDefinition<?, ?> CLIENT =
      ResourceDefinition.builder()
          .<String>factory(
              ctx -> {
                BUILT.computeIfAbsent(ctx.runId(), k -> new AtomicInteger()).incrementAndGet();
                return ctx.runId();
              })
          .withCloser(
              runId -> CLOSED.computeIfAbsent(runId, k -> new AtomicInteger()).incrementAndGet());

  private static final Definitions DEFINITIONS =
      Definitions.builder()
          .jobs(
              JobDefinition.builder("lanes")
                  .add(op("quick").withHooks(QUICK))
                  .add(op("paced").withHooks(PACED))
                  .add(op("slow").withHooks(SLOW))
                  .add(op("timing_out").withHooks(TIMES_OUT, QUICK))
                  .add(op("resourceful").withHooks(USES_CLIENT))
                  .resource("client", CLIENT)
                  .build())
          .build();

  private static OpDefinition<?> op(String name) {
    return OpDefinition.builder(name).body(ctx -> null);
  }

  private TopicsFixture fixture;
  private final List<HooksRunner> runners = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private String groupId;

  @BeforeEach
  void setUp() {
    fixture = new TopicsFixture(kafka.broker());
    groupId = fixture.topics.prefix() + "hooks";
  }

  @AfterEach
  void tearDown() {
    runners.forEach(HooksRunner::close);
    fixture.close();
  }

  @Test
  void aTerminalStepEventOfAnAbortedTransactionFiresNothingAndOneOfACommittedTransactionFires()
      throws Exception {
    startRunner(Map.of());
    String runId = runOn(0);
    try (KafkaProducer<byte[], byte[]> producer = transactionalProducer()) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(stepRecord(succeeded(runId, "quick", 1))).get(10, TimeUnit.SECONDS);
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(stepRecord(succeeded(runId, "quick", 2))).get(10, TimeUnit.SECONDS);
      producer.commitTransaction();
    }

    awaitHookEvents(runId, 1);
    assertThat(FIRED).doesNotContainKey(key(runId, "quick", 1, "quick"));
    assertThat(FIRED.get(key(runId, "quick", 2, "quick"))).hasValue(1);
    assertThat(hookEvents(runId)).extracting(HookEvent::getAttempt).containsExactly(2);
  }

  @Test
  void aHookSlowerThanMaxPollIntervalNeitherGetsTheRunnerEvictedNorHoldsUpOtherPartitions()
      throws Exception {
    HooksRunner runner =
        startRunner(Map.of(RuntimeConfig.KAFKA_PREFIX + "max.poll.interval.ms", 5000));
    String slowRun = runOn(0);
    String quickRun = runOn(1);
    publish(succeeded(slowRun, "slow", 1));
    publish(succeeded(slowRun, "slow", 2));
    awaitFired(key(slowRun, "slow", 1, "slow"));
    publish(succeeded(quickRun, "quick", 1));

    // The other partition's lane goes on while the slow lane is busy for 2 x 8 s.
    awaitHookEvents(quickRun, 1, Duration.ofSeconds(5));
    assertThat(FIRED).doesNotContainKey(key(slowRun, "slow", 2, "slow"));

    awaitHookEvents(slowRun, 2, Duration.ofSeconds(60));
    assertThat(FIRED.get(key(slowRun, "slow", 1, "slow"))).hasValue(1);
    assertThat(FIRED.get(key(slowRun, "slow", 2, "slow"))).hasValue(1);
    assertThat(hookEvents(slowRun)).hasSize(2);
    assertThat(runner.isHealthy()).isTrue();
    assertThat(registry.find("opflow.hooks.partitions.lost").counter().count()).isZero();
    awaitCommitted(0, 2);
  }

  @Test
  void aRunnerDroppedFromItsGroupRejoinsRebuildsItsLedgersAndFiresEachHookOnce() throws Exception {
    HooksRunner runner = startRunner(Map.of());
    String runId = runOn(0);
    publish(succeeded(runId, "quick", 1));
    awaitHookEvents(runId, 1);

    try (Admin admin = Admin.create(kafka.broker().adminConfig())) {
      admin
          .removeMembersFromConsumerGroup(groupId, new RemoveMembersFromConsumerGroupOptions())
          .all()
          .get(10, TimeUnit.SECONDS);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> registry.find("opflow.hooks.partitions.lost").counter().count() > 0);
    publish(succeeded(runId, "quick", 2));

    awaitHookEvents(runId, 2);
    assertThat(FIRED.get(key(runId, "quick", 1, "quick"))).hasValue(1);
    assertThat(FIRED.get(key(runId, "quick", 2, "quick"))).hasValue(1);
    assertThat(runner.isHealthy()).isTrue();
    assertThat(runner.failure()).isEmpty();
    awaitCommitted(0, 2);
  }

  @Test
  void aHookPastItsTimeoutIsInterruptedSeesItWasCanceledAndTheNextHookRuns() throws Exception {
    startRunner(Map.of());
    String runId = runOn(0);
    publish(succeeded(runId, "timing_out", 1));

    List<HookEvent> events = awaitHookEvents(runId, 2);
    HookErrored errored = (HookErrored) events.get(0).getPayload();
    assertThat(events.get(0).getHookName()).isEqualTo("times_out");
    assertThat(errored.getError().getType()).isEqualTo("java.util.concurrent.TimeoutException");
    assertThat(errored.getError().getMessage())
        .contains("ran longer than PT0.3S")
        .contains("interrupted");
    assertThat(events.get(1).getPayload()).isInstanceOf(HookCompleted.class);
    String timedOut = key(runId, "timing_out", 1, "times_out");
    await().atMost(Duration.ofSeconds(5)).until(() -> CANCELED_SEEN.containsKey(timedOut));
    assertThat(CANCELED_SEEN.get(timedOut)).isTrue();
  }

  @Test
  void aRunsEventsKeepTheirOrderAndAFullLanePausesItsPartitionUntilItDrains() throws Exception {
    startRunner(Map.of(HooksRunnerConfig.LANE_CAPACITY_CONFIG, 2));
    String runId = runOn(1);
    for (int attempt = 1; attempt <= 8; attempt++) {
      publish(succeeded(runId, "paced", attempt));
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> pausedPartitions() == 1);
    awaitHookEvents(runId, 8);
    assertThat(ORDER.get(runId)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    await().atMost(Duration.ofSeconds(10)).until(() -> pausedPartitions() == 0);
    awaitCommitted(1, 8);
  }

  @Test
  void startedAndHeartbeatRecordsAreDoneFromTheirHeaderWithoutBeingDecoded() throws Exception {
    startRunner(Map.of());
    String runId = runOn(0);
    sendUndecodable(runId, "StepStarted");
    sendUndecodable(runId, "StepHeartbeat");
    publish(succeeded(runId, "quick", 1));

    awaitHookEvents(runId, 1);
    awaitCommitted(0, 3);
    assertThat(fixture.readAll(fixture.topics.deadLetter())).isEmpty();
  }

  @Test
  void aRunsResourcesAreBuiltOnceForAllItsHooksAndClosedWhenTheRunEnds() throws Exception {
    startRunner(Map.of());
    String runId = runOn(1);
    for (int attempt = 1; attempt <= 3; attempt++) {
      publish(succeeded(runId, "resourceful", attempt));
    }

    awaitHookEvents(runId, 3);
    assertThat(hookEvents(runId))
        .allSatisfy(e -> assertThat(e.getPayload()).isInstanceOf(HookCompleted.class));
    assertThat(BUILT.get(runId)).hasValue(1);
    assertThat(CLOSED).doesNotContainKey(runId);

    fixture.send(
        fixture.topics.runEvents(),
        runId,
        new RunEvent(runId, "lanes", Instant.now(), new RunSucceeded(10L)),
        OpflowSerdes.runEvents());
    await().atMost(Duration.ofSeconds(10)).until(() -> CLOSED.containsKey(runId));
    assertThat(CLOSED.get(runId)).hasValue(1);
  }

  @Test
  void aHookEventThatCannotBeWrittenStopsTheRunnerLoudlyAndItsHookRunsAgainOnRestart()
      throws Exception {
    // No hook event fits in a 100-byte request: every send fails for good.
    HooksRunner failing = startRunner(Map.of(RuntimeConfig.KAFKA_PREFIX + "max.request.size", 100));
    String runId = runOn(0);
    publish(succeeded(runId, "quick", 1));

    await().atMost(Duration.ofSeconds(30)).until(() -> failing.failure().isPresent());
    assertThat(failing.failure().orElseThrow())
        .hasMessageContaining("step-events-0@0")
        .hasMessageContaining("could not be written");
    assertThat(failing.isHealthy()).isFalse();
    assertThat(committed(0)).isZero();
    failing.close();
    runners.remove(failing);

    startRunner(Map.of());
    awaitHookEvents(runId, 1);
    // The documented window: the hook ran, its hook event was never written, so it runs again.
    assertThat(FIRED.get(key(runId, "quick", 1, "quick"))).hasValue(2);
    awaitCommitted(0, 1);
  }

  @Test
  void aRunnerJoiningMidBurstTakesOverAPartitionAndNoHookFiresTwice() throws Exception {
    gate = new CountDownLatch(1);
    startRunner(Map.of());
    int attempts = 60; // 12 s of hooks per partition once the gate opens
    List<String> runs = List.of(runOn(0), runOn(1));
    for (int attempt = 1; attempt <= attempts; attempt++) {
      for (String runId : runs) {
        publish(succeeded(runId, "paced", attempt));
      }
    }
    awaitFired(key(runs.get(0), "paced", 1, "paced"));
    SimpleMeterRegistry secondRegistry = new SimpleMeterRegistry();
    startRunner(Map.of(), secondRegistry);
    gate.countDown(); // the second runner joins (a few seconds) while the first is busy

    for (String runId : runs) {
      awaitHookEvents(runId, attempts, Duration.ofSeconds(60));
      assertThat(hookEvents(runId)).hasSize(attempts);
      List<Integer> inOrder = IntStream.rangeClosed(1, attempts).boxed().toList();
      assertThat(ORDER.get(runId)).containsExactlyElementsOf(inOrder);
      for (int attempt = 1; attempt <= attempts; attempt++) {
        assertThat(FIRED.get(key(runId, "paced", attempt, "paced"))).hasValue(1);
      }
    }
    assertThat(firedBy(secondRegistry)).as("the second runner took over mid-burst").isPositive();
  }

  // Helpers

  private HooksRunner startRunner(Map<String, Object> overrides) {
    return startRunner(overrides, registry);
  }

  private HooksRunner startRunner(Map<String, Object> overrides, SimpleMeterRegistry meters) {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    props.put(HooksRunnerConfig.GROUP_ID_CONFIG, groupId);
    props.put(RuntimeConfig.TOPIC_PREFIX_CONFIG, fixture.topics.prefix());
    props.putAll(overrides);
    HooksRunner runner = HooksRunner.start(HooksRunnerConfig.of(props), DEFINITIONS, meters);
    runners.add(runner);
    return runner;
  }

  /** Returns a fresh run id whose records land on the given partition. */
  private static String runOn(int partition) {
    while (true) {
      String runId = UUID.randomUUID().toString();
      byte[] key = runId.getBytes(StandardCharsets.UTF_8);
      if (Utils.toPositive(Utils.murmur2(key)) % PARTITIONS == partition) {
        return runId;
      }
    }
  }

  private static StepEvent succeeded(String runId, String step, int attempt) {
    return new StepEvent(
        runId,
        step,
        attempt,
        "lanes",
        step,
        Instant.now(),
        new StepSucceeded(Map.of(), 1L, null),
        null);
  }

  private void publish(StepEvent event) throws Exception {
    fixture.send(fixture.topics.stepEvents(), event.getRunId(), event, OpflowSerdes.stepEvents());
  }

  private ProducerRecord<byte[], byte[]> stepRecord(StepEvent event) {
    RecordHeaders headers = new RecordHeaders();
    String topic = fixture.topics.stepEvents();
    byte[] value = OpflowSerdes.stepEvents().serialize(topic, headers, event);
    byte[] key = event.getRunId().getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(topic, null, key, value, headers);
  }

  private KafkaProducer<byte[], byte[]> transactionalProducer() {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    props.put("transactional.id", "test-" + UUID.randomUUID());
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private void sendUndecodable(String runId, String eventType) throws Exception {
    RecordHeaders headers = new RecordHeaders();
    EventHeaders.set(headers, EventHeaders.EVENT_TYPE, eventType);
    EventHeaders.set(headers, EventHeaders.RUN_ID, runId);
    byte[] garbage = "not an event".getBytes(StandardCharsets.UTF_8);
    fixture.sendRaw(fixture.topics.stepEvents(), runId, garbage, headers);
  }

  private List<HookEvent> hookEvents(String runId) {
    return fixture.events(fixture.topics.hookEvents(), OpflowSerdes.hookEvents()).stream()
        .filter(e -> e.getRunId().equals(runId))
        .toList();
  }

  private List<HookEvent> awaitHookEvents(String runId, int count) {
    return awaitHookEvents(runId, count, Duration.ofSeconds(30));
  }

  private List<HookEvent> awaitHookEvents(String runId, int count, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> hookEvents(runId).size() >= count);
    return hookEvents(runId);
  }

  private static void awaitFired(String key) {
    await().atMost(Duration.ofSeconds(30)).until(() -> FIRED.containsKey(key));
  }

  private long committed(int partition) throws Exception {
    TopicPartition tp = new TopicPartition(fixture.topics.stepEvents(), partition);
    try (Admin admin = Admin.create(kafka.broker().adminConfig())) {
      OffsetAndMetadata offset =
          admin
              .listConsumerGroupOffsets(groupId)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS)
              .get(tp);
      return offset == null ? 0 : offset.offset();
    }
  }

  private void awaitCommitted(int partition, long offset) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> committed(partition) >= offset);
  }

  private static double firedBy(SimpleMeterRegistry meters) {
    return meters.find("opflow.hooks").counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private double pausedPartitions() {
    Gauge gauge = registry.find("opflow.hooks.partitions.paused").gauge();
    return gauge == null ? -1 : gauge.value();
  }

  private static String key(String runId, String step, int attempt, String hook) {
    return HookContext.idempotencyKey(runId, step, attempt, hook);
  }
}
