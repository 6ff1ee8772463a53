package io.opflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opflow.core.Definitions;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.RetryPolicy;
import io.opflow.core.StepTimedOutException;
import io.opflow.core.UnknownDefinitionException;
import io.opflow.core.config.NoConfig;
import io.opflow.core.spi.SecretValues;
import io.opflow.events.RunCanceled;
import io.opflow.events.RunEvent;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepHeartbeat;
import io.opflow.events.StepSkipped;
import io.opflow.events.StepStarted;
import io.opflow.events.StepSucceeded;
import io.opflow.events.StepUpForRetry;
import io.opflow.protocol.ChainedStep;
import io.opflow.protocol.StepTask;
import io.opflow.runtime.testing.TopicsFixture;
import io.opflow.schemas.EventHeaders;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.testkit.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WorkerTest {

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  private static final String SECRET = "s3cr3t-t0ken-value";

  /** Config of the op that reads a secret. */
  public record TokenConfig(String token) {}

  private static final OpDefinition<NoConfig> PRODUCE =
      OpDefinition.builder("produce").output(Integer.class).body(ctx -> 41);
  private static final OpDefinition<NoConfig> ADD =
      OpDefinition.builder("add")
          .input("x", Integer.class)
          .output(Integer.class)
          .body(ctx -> ctx.input("x", Integer.class) + 1);
  private static final OpDefinition<NoConfig> SLOW =
      OpDefinition.builder("slow")
          .output(String.class)
          .body(
              ctx -> {
                Thread.sleep(700); // the op under test is slow on purpose
                return "done";
              });
  private static final OpDefinition<NoConfig> LONG =
      OpDefinition.builder("long")
          .output(String.class)
          .body(
              ctx -> {
                Thread.sleep(3000); // longer than the consumer's max.poll.interval.ms below
                return "finally";
              });
  private static volatile CountDownLatch gate = new CountDownLatch(0);
  private static final OpDefinition<NoConfig> GATED =
      OpDefinition.builder("gated")
          .output(String.class)
          .body(
              ctx -> {
                gate.await(60, TimeUnit.SECONDS); // released by the test
                return "open";
              });
  private static final OpDefinition<NoConfig> FLAKY =
      OpDefinition.builder("flaky")
          .optionalOutput("partial", String.class)
          .retryPolicy(RetryPolicy.builder().maxRetries(1).delay(Duration.ofSeconds(5)).build())
          .body(
              ctx -> {
                ctx.output("partial", "half");
                throw new IllegalStateException("boom on attempt " + ctx.attempt());
              });
  private static final OpDefinition<NoConfig> HANGS =
      OpDefinition.builder("hangs")
          .output(String.class)
          .timeout(Duration.ofMillis(300))
          .body(
              ctx -> {
                Thread.sleep(30_000); // past its timeout on purpose
                return "never";
              });
  private static final OpDefinition<NoConfig> HUGE =
      OpDefinition.builder("huge").output(String.class).body(ctx -> "x".repeat(3000));
  private static final OpDefinition<TokenConfig> SECRETIVE =
      OpDefinition.builder("secretive")
          .config(TokenConfig.class)
          .output(Integer.class)
          .body(ctx -> ctx.config().token().length());

  private static final OpDefinition<TokenConfig> LEAKY =
      OpDefinition.builder("leaky")
          .config(TokenConfig.class)
          .body(
              ctx -> {
                throw new IllegalStateException(
                    "HTTP 401 from https://api.test/?token=" + ctx.config().token());
              });

  private static final Definitions DEFINITIONS =
      Definitions.builder()
          .codeVersion("v7")
          .jobs(
              JobDefinition.builder("shop")
                  .add(PRODUCE)
                  .add(ADD.input("x", "produce"))
                  .add(SLOW)
                  .add(LONG)
                  .add(GATED)
                  .add(FLAKY)
                  .add(HUGE)
                  .add(HANGS)
                  .add(SECRETIVE)
                  .add(LEAKY)
                  .build())
          .build();

  private TopicsFixture fixture;
  private final List<Worker> workers = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private String groupId;

  @BeforeEach
  void setUp() {
    fixture = new TopicsFixture(kafka.broker());
    groupId = fixture.topics.prefix() + "workers";
  }

  @AfterEach
  void tearDown() {
    gate.countDown();
    workers.forEach(Worker::close);
    fixture.close();
  }

  @Test
  void slowOpHeartbeatsThenSucceedsWithOutputsAndRunConfig() throws Exception {
    startWorker();
    String runConfig = "{\"ops\":{}}";
    publish(task("r1", "slow", "slow", 1, Map.of(), runConfig));
    publish(task("r2", "add", "add", 1, Map.of("x", "41"), runConfig));

    List<StepEvent> r1 = awaitTerminal("r1", "slow");
    assertThat(r1.get(0).getPayload()).isInstanceOf(StepStarted.class);
    assertThat(r1.stream().filter(e -> e.getPayload() instanceof StepHeartbeat))
        .hasSizeGreaterThan(1);
    StepEvent done = r1.get(r1.size() - 1);
    assertThat(((StepSucceeded) done.getPayload()).getOutputsJson())
        .containsEntry("result", "\"done\"");
    assertThat(done.getRunConfigJson()).isEqualTo(runConfig);
    assertThat(r1.get(0).getRunConfigJson()).isNull();

    StepEvent added = last(awaitTerminal("r2", "add"));
    assertThat(((StepSucceeded) added.getPayload()).getOutputsJson()).containsEntry("result", "42");
    assertThat(registry.counter("opflow.steps.started", "job", "shop", "op", "slow").count())
        .isEqualTo(1.0);
    assertThat(registry.counter("opflow.steps.succeeded", "job", "shop", "op", "add").count())
        .isEqualTo(1.0);
    assertThat(registry.find("opflow.step.duration").tag("outcome", "succeeded").timers())
        .isNotEmpty();
    assertThat(registry.find("kafka.producer.record.send.total").meters()).isNotEmpty();
  }

  @Test
  void aSucceededStepStartsTheNextStepOfItsChainHereAndItsSuccessAnnouncesIt() throws Exception {
    startWorker();
    publish(chained(task("r1", "produce", "produce", 1, Map.of(), "{}"), "add"));

    List<StepEvent> added = awaitTerminal("r1", "add");
    StepSucceeded produced = (StepSucceeded) last(stepEvents("r1", "produce")).getPayload();
    assertThat(produced.getChainedStepKey()).isEqualTo("add");
    assertThat(added).extracting(StepEvent::getAttempt).containsOnly(1);
    assertThat(added.get(0).getPayload()).isInstanceOf(StepStarted.class);
    StepSucceeded result = (StepSucceeded) last(added).getPayload();
    assertThat(result.getOutputsJson()).containsEntry("result", "42");
    assertThat(result.getChainedStepKey()).isNull();
    List<StepEvent> run = allEvents().stream().filter(e -> e.getRunId().equals("r1")).toList();
    assertThat(run)
        .extracting(e -> e.getStepKey() + ":" + e.getPayload().getClass().getSimpleName())
        .filteredOn(kind -> !kind.endsWith("StepHeartbeat"))
        .containsExactly(
            "produce:StepStarted", "produce:StepSucceeded", "add:StepStarted", "add:StepSucceeded");
    assertThat(registry.counter("opflow.steps.started", "job", "shop", "op", "add").count())
        .isEqualTo(1.0);
  }

  @Test
  void withChainingOffTheNextStepIsLeftToItsOwnTask() throws Exception {
    startWorker(Map.of(WorkerConfig.CHAINING_CONFIG, false));
    publish(chained(task("r1", "produce", "produce", 1, Map.of(), "{}"), "add"));
    publish(task("r2", "add", "add", 1, Map.of("x", "1"), "{}"));

    StepSucceeded produced = (StepSucceeded) last(awaitTerminal("r1", "produce")).getPayload();
    assertThat(produced.getChainedStepKey()).isNull();
    awaitTerminal("r2", "add");
    assertThat(stepEvents("r1", "add")).isEmpty();
  }

  @Test
  void aQueuedTaskOfACanceledRunIsNotStarted() throws Exception {
    startWorker();
    publish(task("r0", "add", "add", 1, Map.of("x", "1"), "{}"));
    awaitTerminal("r0", "add"); // the worker is up, its watcher of run-events too
    RunEvent cancel = new RunEvent("r1", "shop", Instant.now(), new RunCanceled("by a user"));
    fixture.send(fixture.topics.runEvents(), "r1", cancel, OpflowSerdes.runEvents());
    Thread.sleep(1500); // read at once (committed, not transactional); polled every 500 ms

    // In one partition, so the worker has decided on r1's task once it has run the probe's.
    StepTask canceled = chained(task("r1", "produce", "produce", 1, Map.of(), "{}"), "add");
    try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
      producer.send(taskRecord(0, canceled)).get();
      producer.send(taskRecord(0, task("probe", "produce", "produce", 1, Map.of(), "{}"))).get();
    }
    awaitTerminal("probe", "produce");
    assertThat(stepEvents("r1", "produce")).isEmpty();
    assertThat(stepEvents("r1", "add")).isEmpty();
  }

  @Test
  void aRunningOpOfACanceledRunIsInterruptedAndItsAttemptEndsSkippedNotFailed() throws Exception {
    gate = new CountDownLatch(1);
    startWorker();
    publish(task("rc", "gated", "gated", 1, Map.of(), "{}"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stepEvents("rc", "gated").stream().anyMatch(e -> isStarted(e)));

    RunEvent cancel = new RunEvent("rc", "shop", Instant.now(), new RunCanceled("by a user"));
    fixture.send(fixture.topics.runEvents(), "rc", cancel, OpflowSerdes.runEvents());

    StepEvent ended = last(awaitTerminal("rc", "gated"));
    assertThat(ended.getAttempt()).isEqualTo(1);
    assertThat(ended.getPayload()).isInstanceOf(StepSkipped.class);
    assertThat(((StepSkipped) ended.getPayload()).getReason()).contains("run canceled", "stopped");
    assertThat(registry.find("opflow.step.duration").tag("outcome", "canceled").timers())
        .isNotEmpty();

    // The pool thread that ran it is not left interrupted: the next op on it runs normally.
    publish(task("r2", "add", "add", 1, Map.of("x", "1"), "{}"));
    publish(task("r3", "add", "add", 1, Map.of("x", "2"), "{}"));
    assertThat(last(awaitTerminal("r2", "add")).getPayload()).isInstanceOf(StepSucceeded.class);
    assertThat(last(awaitTerminal("r3", "add")).getPayload()).isInstanceOf(StepSucceeded.class);
  }

  @Test
  void retriableFailureIsUpForRetryThenFinalFailureHasStructuredErrorAndPartialOutputs()
      throws Exception {
    startWorker();
    publish(task("r1", "flaky", "flaky", 1, Map.of(), "{}"));
    StepEvent first = last(awaitTerminal("r1", "flaky"));
    StepUpForRetry retry = (StepUpForRetry) first.getPayload();
    assertThat(retry.getNextAttempt()).isEqualTo(2);
    assertThat(retry.getRetryAt()).isAfter(Instant.now().plusSeconds(2));
    assertThat(retry.getError().getType()).isEqualTo(IllegalStateException.class.getName());
    assertThat(first.getRunConfigJson()).isEqualTo("{}");

    publish(task("r1", "flaky", "flaky", 2, Map.of(), "{}"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stepEvents("r1", "flaky").stream().anyMatch(WorkerTest::isFinalFailure));
    StepEvent last = last(stepEvents("r1", "flaky"));
    StepFailed failed = (StepFailed) last.getPayload();
    assertThat(last.getAttempt()).isEqualTo(2);
    assertThat(failed.getError().getType()).isEqualTo(IllegalStateException.class.getName());
    assertThat(failed.getError().getMessage()).isEqualTo("boom on attempt 2");
    assertThat(failed.getError().getStackFrames()).isNotEmpty();
    assertThat(failed.getPartialOutputsJson()).containsEntry("partial", "\"half\"");
    assertThat(last.getRunConfigJson()).isEqualTo("{}");
  }

  @Test
  void unknownJobFailsWithAClearMessage() throws Exception {
    startWorker();
    StepTask unknown =
        new StepTask(
            "r1", "nope", "a", "fetch", 1, Map.of(), "{}", "v9", 10_000L, Instant.now(), List.of());
    publish(unknown);
    StepFailed failed = (StepFailed) last(awaitTerminal("r1", "a")).getPayload();
    assertThat(failed.getError().getType()).isEqualTo(UnknownDefinitionException.class.getName());
    assertThat(failed.getError().getMessage())
        .contains("unknown job 'nope'")
        .contains("known jobs: shop")
        .contains("op 'fetch'")
        .contains("code version v9")
        .contains("this worker runs code version v7");
    assertThat(failed.getError().getRetriable()).isFalse();
  }

  @Test
  void outputOverTheCapFailsTheStepWithWhatToDo() throws Exception {
    startWorker();
    publish(task("r1", "huge", "huge", 1, Map.of(), "{}"));
    StepFailed failed = (StepFailed) last(awaitTerminal("r1", "huge")).getPayload();
    assertThat(failed.getError().getMessage())
        .contains("output 'result'")
        .contains("3002 bytes")
        .contains("inline cap of 1024 bytes")
        .contains("output a reference");
    assertThat(failed.getError().getRetriable()).isFalse();
  }

  @Test
  void anUndecodableTaskWhoseHeadersNameItsAttemptFailsThatAttemptAndIsDeadLettered()
      throws Exception {
    startWorker();
    RecordHeaders headers = new RecordHeaders();
    EventHeaders.set(headers, EventHeaders.EVENT_TYPE, "StepTask");
    EventHeaders.set(headers, EventHeaders.RUN_ID, "r1");
    EventHeaders.set(headers, EventHeaders.STEP_KEY, "add");
    EventHeaders.set(headers, EventHeaders.ATTEMPT, "2");
    EventHeaders.set(headers, EventHeaders.JOB_NAME, "shop");
    EventHeaders.set(headers, EventHeaders.OP_NAME, "add");
    byte[] newer = "written with a schema from the future".getBytes(StandardCharsets.UTF_8);
    fixture.sendRaw(fixture.topics.stepTasks(), "r1/add", newer, headers);

    StepEvent failed = last(awaitTerminal("r1", "add"));
    assertThat(failed.getAttempt()).isEqualTo(2);
    assertThat(failed.getJobName()).isEqualTo("shop");
    StepFailed payload = (StepFailed) failed.getPayload();
    assertThat(payload.getError().getMessage())
        .contains("could not decode the task", "upgrade the workers", "dead-letter topic");
    assertThat(payload.getError().getRetriable()).isFalse();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !fixture.readAll(fixture.topics.deadLetter()).isEmpty());
    assertThat(fixture.readAll(fixture.topics.deadLetter()).get(0).value()).isEqualTo(newer);
  }

  @Test
  void undecodableTaskGoesToDeadLetterAndTheWorkerKeepsGoing() throws Exception {
    startWorker();
    byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
    fixture.sendRaw(fixture.topics.stepTasks(), "r0/x", garbage, new RecordHeaders());
    publish(task("r1", "add", "add", 1, Map.of("x", "1"), "{}"));

    awaitTerminal("r1", "add");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !fixture.readAll(fixture.topics.deadLetter()).isEmpty());
    ConsumerRecord<byte[], byte[]> dead = fixture.readAll(fixture.topics.deadLetter()).get(0);
    assertThat(dead.value()).isEqualTo(garbage);
    assertThat(header(dead, EventHeaders.DLQ_SOURCE_TOPIC)).isEqualTo(fixture.topics.stepTasks());
    assertThat(header(dead, EventHeaders.DLQ_CONSUMER_GROUP)).isEqualTo(groupId);
    assertThat(header(dead, EventHeaders.DLQ_SOURCE_OFFSET)).isEqualTo("0");
    assertThat(header(dead, EventHeaders.DLQ_ERROR)).contains("EventDecodingException");
    assertThat(workers.get(0).isHealthy()).isTrue();
  }

  @Test
  void twoWorkersInOneGroupShareTasks() throws Exception {
    startWorker();
    startWorker();
    awaitGroupMembers(2);
    for (int i = 0; i < 20; i++) {
      String run = UUID.randomUUID().toString();
      publish(task(run, "add", "add", 1, Map.of("x", Integer.toString(i)), "{}"));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                allEvents().stream().filter(e -> e.getPayload() instanceof StepSucceeded).count()
                    == 20);
    Set<String> workerIds =
        allEvents().stream()
            .filter(e -> e.getPayload() instanceof StepStarted)
            .map(e -> ((StepStarted) e.getPayload()).getWorkerId())
            .collect(Collectors.toSet());
    assertThat(workerIds).hasSize(2);
  }

  @Test
  void envSecretIsResolvedByTheWorkerAndNeverPublished() throws Exception {
    startWorker();
    String runConfig = "{\"ops\":{\"secretive\":{\"config\":{\"token\":{\"env\":\"API_TOKEN\"}}}}}";
    publish(task("r1", "secretive", "secretive", 1, Map.of(), runConfig));

    StepEvent done = last(awaitTerminal("r1", "secretive"));
    assertThat(((StepSucceeded) done.getPayload()).getOutputsJson())
        .containsEntry("result", Integer.toString(SECRET.length()));
    assertThat(done.getRunConfigJson()).contains("API_TOKEN").doesNotContain(SECRET);
    byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
    for (ConsumerRecord<byte[], byte[]> record : fixture.readAll(fixture.topics.stepEvents())) {
      assertThat(indexOf(record.value(), secret)).isEqualTo(-1);
      record.headers().forEach(h -> assertThat(indexOf(h.value(), secret)).isEqualTo(-1));
    }
  }

  @Test
  void anOpThatThrowsItsSecretFailsWithTheSecretMaskedInTheRecord() throws Exception {
    startWorker();
    String runConfig = "{\"ops\":{\"leaky\":{\"config\":{\"token\":{\"env\":\"API_TOKEN\"}}}}}";
    publish(task("r1", "leaky", "leaky", 1, Map.of(), runConfig));

    StepFailed failed = (StepFailed) last(awaitTerminal("r1", "leaky")).getPayload();
    assertThat(failed.getError().getMessage())
        .isEqualTo("HTTP 401 from https://api.test/?token=" + SecretValues.MASK);
    byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
    for (ConsumerRecord<byte[], byte[]> record : fixture.readAll(fixture.topics.stepEvents())) {
      assertThat(indexOf(record.value(), secret)).isEqualTo(-1);
    }
  }

  @Test
  void opLongerThanMaxPollIntervalRunsOnceWhileTheWorkerKeepsPolling() throws Exception {
    startWorker(Map.of("kafka.max.poll.interval.ms", 1000, WorkerConfig.CONCURRENCY_CONFIG, 1));
    awaitGroupMembers(1);
    publish(task("r1", "long", "long", 1, Map.of(), "{}"));
    publish(task("r2", "add", "add", 1, Map.of("x", "1"), "{}")); // waits in the backlog

    StepEvent done = last(awaitTerminal("r1", "long"));
    assertThat(((StepSucceeded) done.getPayload()).getOutputsJson())
        .containsEntry("result", "\"finally\"");
    awaitTerminal("r2", "add");
    assertThat(stepEvents("r1", "long").stream().filter(e -> e.getPayload() instanceof StepStarted))
        .hasSize(1);
    assertThat(workers.get(0).isHealthy()).isTrue();
  }

  @Test
  void closeWaitsForTheRunningOpToPublishItsResult() throws Exception {
    Worker worker = startWorker();
    publish(task("r1", "slow", "slow", 1, Map.of(), "{}"));
    await().atMost(Duration.ofSeconds(30)).until(() -> !stepEvents("r1", "slow").isEmpty());

    worker.close();
    workers.remove(worker);

    StepEvent last = last(stepEvents("r1", "slow"));
    assertThat(last.getPayload()).isInstanceOf(StepSucceeded.class);
    assertThat(worker.isHealthy()).isFalse();
  }

  @Test
  void anOpPastItsTimeoutIsInterruptedAndItsStepFailsWithStepTimedOut() throws Exception {
    startWorker();
    publish(task("r1", "hangs", "hangs", 1, Map.of(), "{}"));

    StepEvent last = last(awaitTerminal("r1", "hangs"));

    assertThat(last.getPayload()).isInstanceOf(StepFailed.class);
    assertThat(((StepFailed) last.getPayload()).getError().getType())
        .isEqualTo(StepTimedOutException.class.getName());
    assertThat(workers.get(0).isHealthy()).isTrue();
  }

  @Test
  void aRunConfigTimeoutOverridesTheOps() throws Exception {
    startWorker();
    publish(
        task("r1", "slow", "slow", 1, Map.of(), "{\"ops\":{\"slow\":{\"timeout\":\"100ms\"}}}"));

    StepEvent last = last(awaitTerminal("r1", "slow"));

    assertThat(((StepFailed) last.getPayload()).getError().getType())
        .isEqualTo(StepTimedOutException.class.getName());
  }

  @Test
  void anOpInterruptedByShutdownPublishesNoFailureAndIsLeftToItsLease() throws Exception {
    gate = new CountDownLatch(1);
    Worker worker = startWorker(Map.of(WorkerConfig.SHUTDOWN_GRACE_MS_CONFIG, 200L));
    publish(task("r1", "gated", "gated", 1, Map.of(), "{}"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stepEvents("r1", "gated").stream().anyMatch(e -> !isTerminal(e)));

    worker.close();
    workers.remove(worker);
    Thread.sleep(2000); // time for a terminal event of the interrupted op to arrive, were there one

    assertThat(stepEvents("r1", "gated")).noneMatch(WorkerTest::isTerminal);
  }

  @Test
  void servesHealthAndMetricsWhenAskedTo() throws Exception {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    props.put(WorkerConfig.GROUP_ID_CONFIG, groupId);
    props.put(io.opflow.runtime.RuntimeConfig.TOPIC_PREFIX_CONFIG, fixture.topics.prefix());
    props.put(io.opflow.runtime.RuntimeConfig.METRICS_PORT_CONFIG, 0);
    Worker worker = Worker.start(WorkerConfig.of(props), DEFINITIONS, prometheus);
    workers.add(worker);
    publish(task("r1", "add", "add", 1, Map.of("x", "1"), "{}"));
    awaitTerminal("r1", "add");

    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + worker.observabilityPort();
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    HttpResponse<String> metrics =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body())
        .contains("opflow_steps_succeeded_total{job=\"shop\",op=\"add\"} 1.0")
        .contains("kafka_consumer");
  }

  @Test
  void runsOnlyTasksOfCommittedTransactions() throws Exception {
    startWorker();
    writeInTransaction(task("aborted", "add", "add", 1, Map.of("x", "1"), "{}"), false);
    writeInTransaction(task("committed", "add", "add", 1, Map.of("x", "2"), "{}"), true);

    awaitTerminal("committed", "add");
    // Same partition, earlier offset: the worker has read past the aborted task by now.
    assertThat(stepEvents("aborted", "add")).isEmpty();
    assertThat(registry.counter("opflow.steps.started", "job", "shop", "op", "add").count())
        .isEqualTo(1.0);
  }

  @Test
  void aReadUncommittedWorkerWouldRunTheAbortedTask() throws Exception {
    // The control for the test above: without read_committed the aborted task runs.
    startWorker(Map.of("kafka.isolation.level", "read_uncommitted"));
    writeInTransaction(task("aborted", "add", "add", 1, Map.of("x", "1"), "{}"), false);

    assertThat(last(awaitTerminal("aborted", "add")).getPayload())
        .isInstanceOf(StepSucceeded.class);
  }

  @Test
  void workersJoinAConsumerProtocolGroup() throws Exception {
    startWorker();
    awaitGroupMembers(1);
    try (Admin admin = Admin.create(kafka.broker().adminConfig())) {
      ConsumerGroupDescription group =
          admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
      assertThat(group.type()).isEqualTo(GroupType.CONSUMER);
    }
  }

  @Test
  void aBusyWorkerHoldsAtMostConcurrencyUnstartedTasksAndASecondWorkerTakesItsPartition()
      throws Exception {
    gate = new CountDownLatch(1);
    startWorker(Map.of(WorkerConfig.CONCURRENCY_CONFIG, 1, WorkerConfig.WORKER_ID_CONFIG, "a"));
    awaitGroupMembers(1);
    publishTo(0, task("held", "gated", "gated", 1, Map.of(), "{}"));
    await().atMost(Duration.ofSeconds(30)).until(() -> !stepEvents("held", "gated").isEmpty());
    List<String> runs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      runs.add("short-" + i);
      publishTo(i % 2, task("short-" + i, "add", "add", 1, Map.of("x", "1"), "{}"));
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> waiting("a") == 1);
    // Default max.poll.records would let it take all ten; with the bound it holds one.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> waiting("a") <= 1);

    startWorker(Map.of(WorkerConfig.CONCURRENCY_CONFIG, 1, WorkerConfig.WORKER_ID_CONFIG, "b"));
    // One partition moves to b, which runs its five tasks while a's op is still held.
    await().atMost(Duration.ofSeconds(60)).until(() -> startedBy("b") >= 5);
    assertThat(stepEvents("held", "gated")).noneMatch(WorkerTest::isTerminal);
    assertThat(waiting("a")).isLessThanOrEqualTo(1);

    gate.countDown();
    for (String run : runs) {
      awaitTerminal(run, "add");
    }
    assertThat(allEvents().stream().filter(e -> e.getPayload() instanceof StepStarted)).hasSize(11);
  }

  @Test
  void withAStartedDelayOnlyStepsThatOutlastItPublishStepStarted() throws Exception {
    // Generous against a slow machine: the add op takes a millisecond, the long one 3 s.
    startWorker(Map.of(WorkerConfig.STARTED_DELAY_MS_CONFIG, 1500L));
    publish(task("fast", "add", "add", 1, Map.of("x", "1"), "{}"));
    publish(task("slow", "long", "long", 1, Map.of(), "{}"));

    List<StepEvent> fast = awaitTerminal("fast", "add");
    assertThat(fast).singleElement().satisfies(e -> isA(e, StepSucceeded.class));
    List<StepEvent> slow = awaitTerminal("slow", "long");
    assertThat(slow.get(0).getPayload()).isInstanceOf(StepStarted.class);
    assertThat(last(slow).getPayload()).isInstanceOf(StepSucceeded.class);
  }

  private Worker startWorker() {
    return startWorker(Map.of());
  }

  private Worker startWorker(Map<String, Object> overrides) {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    props.put(WorkerConfig.GROUP_ID_CONFIG, groupId);
    props.put(io.opflow.runtime.RuntimeConfig.TOPIC_PREFIX_CONFIG, fixture.topics.prefix());
    props.put(WorkerConfig.HEARTBEAT_MS_CONFIG, 100L);
    props.put(WorkerConfig.INLINE_MAX_BYTES_CONFIG, 1024);
    props.put(WorkerConfig.CONCURRENCY_CONFIG, 2);
    props.put(WorkerConfig.SHUTDOWN_GRACE_MS_CONFIG, 5000L);
    props.putAll(overrides);
    Map<String, String> env = Map.of("API_TOKEN", SECRET);
    Worker worker = Worker.start(WorkerConfig.of(props), DEFINITIONS, registry, env::get);
    workers.add(worker);
    return worker;
  }

  private void awaitGroupMembers(int count) {
    try (Admin admin = Admin.create(kafka.broker().adminConfig())) {
      // A consumer-protocol group is "not found" until its first member's heartbeat arrives.
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptionsInstanceOf(ExecutionException.class)
          .until(
              () -> {
                ConsumerGroupDescription group =
                    admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
                return group.members().size() == count
                    && group.members().stream()
                        .allMatch(m -> !m.assignment().topicPartitions().isEmpty());
              });
    }
  }

  private double waiting(String workerId) {
    return registry.get("opflow.worker.tasks.waiting").tag("worker", workerId).gauge().value();
  }

  private long startedBy(String workerId) {
    return allEvents().stream()
        .filter(e -> e.getPayload() instanceof StepStarted s && s.getWorkerId().equals(workerId))
        .count();
  }

  private void publishTo(int partition, StepTask task) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
      producer.send(taskRecord(partition, task)).get(10, TimeUnit.SECONDS);
    }
  }

  // Both tasks of a test go to partition 0, so the aborted one precedes the committed one.
  private void writeInTransaction(StepTask task, boolean commit) throws Exception {
    Map<String, Object> props = Map.of("transactional.id", "tx-" + UUID.randomUUID());
    try (KafkaProducer<byte[], byte[]> producer = producer(props)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(taskRecord(0, task)).get(10, TimeUnit.SECONDS);
      if (commit) {
        producer.commitTransaction();
      } else {
        producer.abortTransaction();
      }
    }
  }

  private ProducerRecord<byte[], byte[]> taskRecord(int partition, StepTask task) {
    String topic = fixture.topics.stepTasks();
    RecordHeaders headers = new RecordHeaders();
    byte[] value = OpflowSerdes.stepTasks().serialize(topic, headers, task);
    byte[] key = (task.getRunId() + "/" + task.getStepKey()).getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(topic, partition, key, value, headers);
  }

  private static KafkaProducer<byte[], byte[]> producer(Map<String, Object> extra) {
    Map<String, Object> props = new HashMap<>(extra);
    props.put("bootstrap.servers", kafka.bootstrapServers());
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static StepTask task(
      String runId, String step, String op, int attempt, Map<String, String> inputs, String cfg) {
    return new StepTask(
        runId, "shop", step, op, attempt, inputs, cfg, "v7", 10_000L, Instant.now(), List.of());
  }

  /** The task with {@code next} as the step after it, reading its "result" as "x". */
  private static StepTask chained(StepTask task, String next) {
    return StepTask.newBuilder(task)
        .setChain(List.of(new ChainedStep(next, next, Map.of("x", "result"))))
        .build();
  }

  private void publish(StepTask task) throws Exception {
    String key = task.getRunId() + "/" + task.getStepKey();
    fixture.send(fixture.topics.stepTasks(), key, task, OpflowSerdes.stepTasks());
  }

  private List<StepEvent> allEvents() {
    return fixture.events(fixture.topics.stepEvents(), OpflowSerdes.stepEvents());
  }

  private List<StepEvent> stepEvents(String runId, String step) {
    return allEvents().stream()
        .filter(e -> e.getRunId().equals(runId) && e.getStepKey().equals(step))
        .toList();
  }

  private List<StepEvent> awaitTerminal(String runId, String step) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stepEvents(runId, step).stream().anyMatch(WorkerTest::isTerminal));
    return stepEvents(runId, step);
  }

  private static boolean isStarted(StepEvent e) {
    return e.getPayload() instanceof StepStarted;
  }

  private static boolean isTerminal(StepEvent e) {
    return !(e.getPayload() instanceof StepStarted) && !(e.getPayload() instanceof StepHeartbeat);
  }

  private static void isA(StepEvent e, Class<?> payload) {
    assertThat(e.getPayload()).isInstanceOf(payload);
  }

  private static boolean isFinalFailure(StepEvent e) {
    return e.getPayload() instanceof StepFailed;
  }

  private static StepEvent last(List<StepEvent> events) {
    return events.get(events.size() - 1);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    return EventHeaders.lastValue(record.headers(), key).orElse(null);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    if (haystack == null) {
      return -1;
    }
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
