package io.opflow.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opflow.core.Definitions;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.RetryPolicy;
import io.opflow.core.UnknownDefinitionException;
import io.opflow.core.config.NoConfig;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepStarted;
import io.opflow.events.StepSucceeded;
import io.opflow.events.StepUpForRetry;
import io.opflow.protocol.ChainedStep;
import io.opflow.protocol.StepTask;
import io.opflow.runtime.DeadLetters;
import io.opflow.runtime.JsonValues;
import io.opflow.runtime.spi.EventPublisher;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.OpflowTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The poll thread's contract, driven by hand: the test calls {@code pollOnce()} and decides when
 * the mock broker acknowledges each send.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TaskPollLoopTest {
  private static final OpflowTopics TOPICS = OpflowTopics.withPrefix("t.");
  private static final TopicPartition P0 = new TopicPartition(TOPICS.stepTasks(), 0);
  private static final TopicPartition P1 = new TopicPartition(TOPICS.stepTasks(), 1);

  private static volatile CountDownLatch gate = new CountDownLatch(0);
  private static volatile CountDownLatch entered = new CountDownLatch(1);

  private static final OpDefinition<NoConfig> ADD =
      OpDefinition.builder("add").output(Integer.class).body(ctx -> 42);
  private static final OpDefinition<NoConfig> AGAIN =
      OpDefinition.builder("again").output(Integer.class).body(ctx -> 7);
  private static final OpDefinition<NoConfig> GATED =
      OpDefinition.builder("gated")
          .output(Integer.class)
          .body(
              ctx -> {
                entered.countDown();
                gate.await();
                return 1;
              });
  private static final OpDefinition<NoConfig> FLAKY =
      OpDefinition.builder("flaky")
          .retryPolicy(RetryPolicy.builder().maxRetries(1).delay(Duration.ofSeconds(5)).build())
          .body(
              ctx -> {
                throw new IllegalStateException("boom");
              });
  private static final Definitions DEFINITIONS =
      Definitions.builder()
          .codeVersion("v1")
          .jobs(JobDefinition.builder("shop").add(ADD).add(AGAIN).add(GATED).add(FLAKY).build())
          .build();

  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final ExecutorService ops = Executors.newFixedThreadPool(2);
  private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Duration startedDelay = Duration.ZERO;
  private TaskPollLoop loop;

  @BeforeEach
  void setUp() {
    gate = new CountDownLatch(0);
    entered = new CountDownLatch(1);
  }

  @AfterEach
  void tearDown() {
    gate.countDown();
    ops.shutdownNow();
    heartbeats.shutdownNow();
  }

  @Test
  void theOpStartsAtOnceAndTheOffsetIsCommittedOnlyOnceStepStartedIsAcknowledged()
      throws Exception {
    start(2);
    gate = new CountDownLatch(1);
    addTask(P0, 0, task("r1", "gated", 1));

    loop.pollOnce();

    assertThat(entered.await(10, TimeUnit.SECONDS)).as("op entered before any ack").isTrue();
    assertThat(sent()).singleElement().satisfies(e -> isA(e, StepStarted.class));
    loop.pollOnce();
    assertThat(committed(P0)).isZero();

    producer.completeNext();
    loop.pollOnce();
    assertThat(committed(P0)).isEqualTo(1);
  }

  @Test
  void theTerminalEventIsSentWithoutWaitingAndDoesNotHoldTheOffset() throws Exception {
    start(2);
    addTask(P0, 0, task("r1", "add", 1));

    loop.pollOnce();

    await().until(() -> producer.history().size() == 2);
    assertThat(sent().get(1).getPayload()).isInstanceOf(StepSucceeded.class);
    assertThat(producer.completeNext()).isTrue(); // StepStarted only
    loop.pollOnce();
    assertThat(committed(P0)).isEqualTo(1);
    assertThat(loop.failure()).isNull();
  }

  @Test
  void aStepStartedThatFailsForGoodStopsTheLoopNamingTheStepAndIsNeverCommitted() {
    start(2);
    gate = new CountDownLatch(1);
    addTask(P0, 0, task("r1", "gated", 3));
    addTask(P0, 1, task("r2", "add", 1));
    loop.pollOnce();

    producer.errorNext(new TimeoutException("Expiring 1 record(s): delivery.timeout.ms"));
    producer.completeNext(); // the second task's StepStarted succeeds

    assertThat(loop.failure())
        .hasMessageContaining("StepStarted of step 'gated' attempt 3 of run r1")
        .hasMessageContaining("delivery.timeout.ms");
    assertThat(loop.isHealthy()).isFalse();
    commitWhatIsCommittable();
    assertThat(committed(P0)).isZero();
  }

  @Test
  void aTerminalEventThatFailsForGoodStopsTheLoop() {
    start(2);
    addTask(P0, 0, task("r1", "add", 1));
    loop.pollOnce();
    await().until(() -> producer.history().size() == 2);

    producer.completeNext();
    producer.errorNext(new TimeoutException("expired"));

    assertThat(loop.failure())
        .hasMessageContaining("StepSucceeded of step 'add' attempt 1 of run r1");
  }

  @Test
  void aTerminalEventTooLargeToSendFailsTheStepInsteadOfTheWorker() {
    start(2);
    addTask(P0, 0, task("r1", "add", 1));
    loop.pollOnce();
    await().until(() -> producer.history().size() == 2);

    producer.completeNext();
    producer.errorNext(new RecordTooLargeException("The message is 2000000 bytes"));

    await().until(() -> producer.history().size() == 3);
    StepFailed failed = (StepFailed) sent().get(2).getPayload();
    assertThat(failed.getError().getMessage())
        .contains("StepSucceeded event of step 'add' is too large")
        .contains("2000000 bytes")
        .contains("opflow.outputs.inline.max.bytes");
    assertThat(failed.getError().getRetriable()).isFalse();
    assertThat(loop.failure()).isNull();
  }

  @Test
  void anUnknownDefinitionIsCommittedOnlyOnceItsStepFailedIsAcknowledged() {
    start(2);
    addTask(
        P0,
        0,
        new StepTask("r1", "nope", "a", "x", 1, Map.of(), "{}", "v9", 10_000L, now(), List.of()));
    loop.pollOnce();

    StepFailed failed = (StepFailed) sent().get(0).getPayload();
    assertThat(failed.getError().getType()).isEqualTo(UnknownDefinitionException.class.getName());
    loop.pollOnce();
    assertThat(committed(P0)).isZero();

    producer.completeNext();
    loop.pollOnce();
    assertThat(committed(P0)).isEqualTo(1);
  }

  @Test
  void anUndecodableTaskIsCommittedOnlyOnceItsDeadLetterIsAcknowledged() {
    start(2);
    consumer.addRecord(record(P0, 0, "not avro".getBytes(StandardCharsets.UTF_8)));
    loop.pollOnce();

    assertThat(producer.history()).singleElement().satisfies(r -> isDeadLetter(r));
    loop.pollOnce();
    assertThat(committed(P0)).isZero();

    producer.completeNext();
    loop.pollOnce();
    assertThat(committed(P0)).isEqualTo(1);
  }

  @Test
  void aDeadLetterThatCannotBeWrittenStopsTheLoop() {
    start(2);
    consumer.addRecord(record(P0, 0, "not avro".getBytes(StandardCharsets.UTF_8)));
    loop.pollOnce();

    producer.errorNext(new TimeoutException("expired"));

    assertThat(loop.failure()).hasMessageContaining("dead letter of task t.step-tasks-0@0");
    commitWhatIsCommittable();
    assertThat(committed(P0)).isZero();
  }

  @Test
  void aRedeliveredAttemptIsSkippedAndCommitted() {
    start(2);
    addTask(P0, 0, task("r1", "add", 1));
    addTask(P0, 1, task("r1", "add", 1)); // the same attempt again
    addTask(P0, 2, task("r1", "add", 2)); // the next attempt runs
    loop.pollOnce();

    await().until(() -> producer.history().size() == 4);
    producer.flush();
    loop.pollOnce();

    assertThat(sent().stream().filter(e -> e.getPayload() instanceof StepStarted))
        .extracting(StepEvent::getAttempt)
        .containsExactly(1, 2);
    assertThat(committed(P0)).isEqualTo(3);
  }

  @Test
  void aRevocationWaitsForStartedAcknowledgementsAndCommitsThem() {
    start(2);
    gate = new CountDownLatch(1);
    addTask(P0, 0, task("r1", "gated", 1));
    loop.pollOnce();
    assertThat(committed(P0)).isZero();

    consumer.rebalance(List.of(P1)); // P0 goes to another worker...
    consumer.rebalance(List.of(P0, P1)); // ...and comes back (the mock shows only owned offsets)

    assertThat(committed(P0)).isEqualTo(1);
  }

  @Test
  void tasksWaitingForASlotPauseThePartitionsAndAreCountedAndNewPartitionsStartPaused()
      throws Exception {
    start(1);
    gate = new CountDownLatch(1);
    addTask(P0, 0, task("r1", "gated", 1));
    addTask(P0, 1, task("r2", "add", 1));
    addTask(P0, 2, task("r3", "add", 1));
    loop.pollOnce();

    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(consumer.paused()).containsExactly(P0);
    assertThat(registry.get("opflow.worker.tasks.waiting").gauge().value()).isEqualTo(2.0);
    consumer.rebalance(List.of(P0, P1));
    assertThat(consumer.paused()).contains(P1);

    gate.countDown();
    await()
        .untilAsserted(
            () -> {
              loop.pollOnce();
              assertThat(registry.get("opflow.worker.tasks.waiting").gauge().value()).isZero();
            });
    loop.pollOnce();
    assertThat(consumer.paused()).isEmpty();
  }

  @Test
  void withAStartedDelayAShortStepPublishesOnlyItsTerminalEventWhichCommitsTheTask() {
    startedDelay = Duration.ofHours(1);
    start(2);
    addTask(P0, 0, task("r1", "add", 1));
    loop.pollOnce();

    await().until(() -> producer.history().size() == 1);
    StepEvent only = sent().get(0);
    assertThat(only.getPayload()).isInstanceOf(StepSucceeded.class);
    loop.pollOnce();
    assertThat(committed(P0)).isZero();

    producer.completeNext();
    loop.pollOnce();
    assertThat(committed(P0)).isEqualTo(1);
  }

  @Test
  void withAStartedDelayALongerStepSendsItsStartedStampedWithTheStart() throws Exception {
    startedDelay = Duration.ofMillis(50);
    start(2);
    gate = new CountDownLatch(1);
    Instant before = Instant.now();
    addTask(P0, 0, task("r1", "gated", 1));
    loop.pollOnce();

    await().until(() -> producer.history().size() == 1);
    StepEvent started = sent().get(0);
    assertThat(started.getPayload()).isInstanceOf(StepStarted.class);
    // Stamped when the op started; leased from when it was sent, at least the delay later.
    Instant sentAt = ((StepStarted) started.getPayload()).getLeaseExpiresAt().minusMillis(10_000);
    assertThat(started.getTimestamp()).isAfterOrEqualTo(before.minusMillis(1));
    assertThat(started.getTimestamp()).isBeforeOrEqualTo(sentAt.minusMillis(49));
    producer.completeNext();
    loop.pollOnce();
    assertThat(committed(P0)).isEqualTo(1);
  }

  @Test
  void withAStartedDelayAnUpForRetryIsPrecededByItsStarted() {
    startedDelay = Duration.ofHours(1);
    start(2);
    addTask(P0, 0, task("r1", "flaky", 1));
    loop.pollOnce();

    await().until(() -> producer.history().size() == 2);
    assertThat(sent().get(0).getPayload()).isInstanceOf(StepStarted.class);
    assertThat(sent().get(1).getPayload()).isInstanceOf(StepUpForRetry.class);
    producer.completeNext();
    loop.pollOnce();
    assertThat(committed(P0)).isEqualTo(1);
  }

  @Test
  void aRevocationSendsDelayedStartedEventsAtOnceAndCommitsThem() throws Exception {
    startedDelay = Duration.ofHours(1);
    start(2);
    gate = new CountDownLatch(1);
    addTask(P0, 0, task("r1", "gated", 1));
    loop.pollOnce();
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(producer.history()).isEmpty();

    consumer.rebalance(List.of(P1));
    consumer.rebalance(List.of(P0, P1));

    assertThat(sent()).singleElement().satisfies(e -> isA(e, StepStarted.class));
    assertThat(committed(P0)).isEqualTo(1);
  }

  private void start(int concurrency) {
    EventPublisher publisher = new EventPublisher(producer);
    loop =
        new TaskPollLoop(
            consumer,
            publisher,
            new DeadLetters(producer, TOPICS.deadLetter(), "workers"),
            TOPICS,
            DEFINITIONS,
            new TaskPollLoop.Settings(
                "w1", concurrency, Duration.ofSeconds(10), startedDelay, true),
            new StepExecution(JsonValues.withInlineCap(1024), name -> null),
            new WorkerMetrics(registry),
            ops,
            heartbeats,
            new CanceledRuns(new MockConsumer<>("latest"), TOPICS.runEvents()));
    consumer.subscribe(List.of(TOPICS.stepTasks()), loop);
    consumer.rebalance(List.of(P0));
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
  }

  // A failed loop refuses to poll again; commit as its poll would, without polling.
  private void commitWhatIsCommittable() {
    try {
      loop.pollOnce();
    } catch (org.apache.kafka.common.errors.WakeupException e) {
      // expected after fail(): the loop would stop here
    }
  }

  @Test
  void aChainedStepStartsOnlyOnceTheSuccessAnnouncingItIsAcknowledged() throws Exception {
    start(2);
    gate = new CountDownLatch(1);
    addTask(P0, 0, chainedTask("r1", 10_000L));
    loop.pollOnce();
    producer.completeNext(); // the StepStarted of add

    await().until(() -> sent().size() == 2);
    StepSucceeded added = (StepSucceeded) sent().get(1).getPayload();
    assertThat(added.getChainedStepKey()).isEqualTo("gated");
    assertThat(entered.await(300, TimeUnit.MILLISECONDS)).as("not before the ack").isFalse();

    producer.completeNext(); // the success of add
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    StepEvent started = sent().get(2);
    assertThat(started.getStepKey()).isEqualTo("gated");
    assertThat(started.getAttempt()).isEqualTo(1);
    isA(started, StepStarted.class);
    producer.completeNext();
    loop.pollOnce();
    assertThat(committed(P0)).isEqualTo(1);
  }

  @Test
  void aSuccessAcknowledgedLaterThanHalfALeaseAfterTheLastRenewalStartsNoChainedStep()
      throws Exception {
    start(2);
    gate = new CountDownLatch(1);
    addTask(P0, 0, chainedTask("r1", 200L));
    loop.pollOnce();
    producer.completeNext(); // the StepStarted of add
    await().until(() -> sent().size() == 2);

    Thread.sleep(300); // past half of the 200 ms lease since the StepStarted was sent
    producer.completeNext(); // the success of add, late

    assertThat(entered.await(1, TimeUnit.SECONDS)).as("the chained op never runs").isFalse();
    assertThat(sent()).extracting(StepEvent::getStepKey).containsExactly("add", "add");
  }

  @Test
  void anOpThatRanPastHalfALeaseWithoutARenewalStartsNoChainedStep() throws Exception {
    start(2);
    gate = new CountDownLatch(1);
    StepTask gated =
        StepTask.newBuilder(task("r1", "gated", 1))
            .setLeaseMillis(2000L)
            .setChain(List.of(new ChainedStep("add", "add", Map.of())))
            .build();
    addTask(P0, 0, gated);
    loop.pollOnce();
    producer.completeNext(); // the StepStarted of gated
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(1100); // past half the lease, and no heartbeat in the test's 10 s interval
    gate.countDown();

    await().until(() -> sent().size() == 2);
    producer.completeNext(); // the success, acknowledged at once
    Thread.sleep(500);
    assertThat(sent()).extracting(StepEvent::getStepKey).containsExactly("gated", "gated");
  }

  @Test
  void withAStartedDelayAChainAnnouncesItsFirstStepAtOnceAndItsChainedStepsByTheirSuccesses()
      throws Exception {
    startedDelay = Duration.ofHours(1);
    start(2);
    gate = new CountDownLatch(1);
    addTask(
        P0,
        0,
        StepTask.newBuilder(task("r1", "add", 1))
            .setChain(
                List.of(
                    new ChainedStep("again", "again", Map.of()),
                    new ChainedStep("gated", "gated", Map.of())))
            .build());
    loop.pollOnce();

    // The task lists a chain: its StepStarted goes at once, not after the delay.
    await().until(() -> sent().size() == 2);
    isA(sent().get(0), StepStarted.class);
    producer.completeNext();
    producer.completeNext(); // the success of add, which started again here
    // again ends within the delay: no StepStarted of its own, and its success still starts gated.
    await().until(() -> sent().size() == 3);
    producer.completeNext();
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(sent())
        .extracting(StepEvent::getStepKey, e -> e.getPayload().getClass().getSimpleName())
        .containsExactly(
            tuple("add", "StepStarted"),
            tuple("add", "StepSucceeded"),
            tuple("again", "StepSucceeded"));
    assertThat(((StepSucceeded) sent().get(1).getPayload()).getChainedStepKey()).isEqualTo("again");
    assertThat(((StepSucceeded) sent().get(2).getPayload()).getChainedStepKey()).isEqualTo("gated");
  }

  // add, then gated as the next step of its chain.
  private static StepTask chainedTask(String runId, long leaseMillis) {
    return StepTask.newBuilder(task(runId, "add", 1))
        .setLeaseMillis(leaseMillis)
        .setChain(List.of(new ChainedStep("gated", "gated", Map.of())))
        .build();
  }

  private void addTask(TopicPartition partition, long offset, StepTask task) {
    byte[] value = OpflowSerdes.stepTasks().serialize(partition.topic(), new RecordHeaders(), task);
    consumer.addRecord(record(partition, offset, value));
  }

  private static ConsumerRecord<byte[], byte[]> record(
      TopicPartition partition, long offset, byte[] value) {
    byte[] key = "k".getBytes(StandardCharsets.UTF_8);
    return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, key, value);
  }

  private static StepTask task(String runId, String step, int attempt) {
    return new StepTask(
        runId, "shop", step, step, attempt, Map.of(), "{}", "v1", 10_000L, now(), List.of());
  }

  private static Instant now() {
    return Instant.now();
  }

  /** The group's position: the first offset not committed past, 0 when nothing is committed. */
  private long committed(TopicPartition partition) {
    OffsetAndMetadata offset = consumer.committed(Set.of(partition)).get(partition);
    return offset == null ? 0 : offset.offset();
  }

  private List<StepEvent> sent() {
    return producer.history().stream()
        .filter(r -> r.topic().equals(TOPICS.stepEvents()))
        .map(r -> OpflowSerdes.stepEvents().deserialize(r.topic(), r.value()))
        .toList();
  }

  private static void isA(StepEvent event, Class<?> payload) {
    assertThat(event.getPayload()).isInstanceOf(payload);
  }

  private static void isDeadLetter(ProducerRecord<byte[], byte[]> record) {
    assertThat(record.topic()).isEqualTo(TOPICS.deadLetter());
  }
}
