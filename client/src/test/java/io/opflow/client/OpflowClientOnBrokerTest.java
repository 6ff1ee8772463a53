package io.opflow.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.config.RunConfig;
import io.opflow.events.ErrorInfo;
import io.opflow.events.HookCompleted;
import io.opflow.events.HookEvent;
import io.opflow.events.HookKind;
import io.opflow.events.RunEvent;
import io.opflow.events.RunFailed;
import io.opflow.events.RunStarted;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepSkipped;
import io.opflow.events.StepStarted;
import io.opflow.events.StepSucceeded;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.OpflowTopics;
import io.opflow.schemas.TopicAdmin;
import io.opflow.testkit.KafkaBrokerExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client against a real broker, with the events of a run written by the test in an order a
 * reader of three topics can meet: hook and run events before the step events they follow.
 */
@Timeout(90)
class OpflowClientOnBrokerTest {
  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  private static final OpflowTopics TOPICS = OpflowTopics.withPrefix("client-test.");
  private static final Instant AT = Instant.ofEpochMilli(1_790_000_000_000L);
  private static final ErrorInfo ERROR =
      new ErrorInfo("java.lang.IllegalStateException", "boom", List.of(), null, false);

  @BeforeAll
  static void topics() {
    try (TopicAdmin admin =
        TopicAdmin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.ensureTopics(TOPICS);
    }
  }

  @Test
  void aWatchCallsItsListenerInCausalOrderWhateverTheOrderTheTopicsAreRead() throws Exception {
    String runId = UUID.randomUUID().toString();
    send(TOPICS.hookEvents(), OpflowSerdes.hookEvents(), runId, hook(runId, "a", 1));
    send(
        TOPICS.runEvents(),
        OpflowSerdes.runEvents(),
        runId,
        run(runId, RunStarted.newBuilder().build()));
    send(TOPICS.runEvents(), OpflowSerdes.runEvents(), runId, run(runId, failed()));
    send(TOPICS.stepEvents(), OpflowSerdes.stepEvents(), runId, step(runId, "a", 1, started()));
    send(TOPICS.stepEvents(), OpflowSerdes.stepEvents(), runId, step(runId, "a", 1, stepFailed()));
    send(TOPICS.stepEvents(), OpflowSerdes.stepEvents(), runId, step(runId, "b", 0, skipped()));

    List<String> seen = new ArrayList<>();
    RunOutcome outcome;
    try (OpflowClient client = client(kafka.bootstrapServers());
        RunWatch watch = client.watch(runId)) {
      outcome = watch.onUpdate(u -> seen.add(describe(u))).await(Duration.ofSeconds(30));
    }

    assertThat(outcome.status()).isEqualTo("FAILED");
    assertThat(seen)
        .containsExactlyInAnyOrder(
            "run STARTED",
            "a#1 STARTED",
            "a#1 FAILED",
            "a#1 hook on_failure COMPLETED",
            "b#0 SKIPPED",
            "run FAILED");
    assertThat(seen).first().isEqualTo("run STARTED");
    assertThat(seen).last().isEqualTo("run FAILED");
    assertThat(seen.indexOf("a#1 STARTED")).isLessThan(seen.indexOf("a#1 FAILED"));
    assertThat(seen.indexOf("a#1 FAILED"))
        .isLessThan(seen.indexOf("a#1 hook on_failure COMPLETED"));
    assertThat(outcome.steps()).extracting(RunUpdate::status).contains("SKIPPED");
  }

  @Test
  void eventsOfAnAbortedTransactionAreNeverRead() throws Exception {
    String runId = UUID.randomUUID().toString();
    send(
        TOPICS.runEvents(),
        OpflowSerdes.runEvents(),
        runId,
        run(runId, RunStarted.newBuilder().build()));
    try (KafkaProducer<String, StepEvent> tx = transactionalProducer()) {
      tx.initTransactions();
      tx.beginTransaction();
      tx.send(record(TOPICS.stepEvents(), runId, step(runId, "a", 1, succeeded()))).get();
      tx.abortTransaction();
    }
    send(TOPICS.stepEvents(), OpflowSerdes.stepEvents(), runId, step(runId, "a", 1, started()));

    List<RunUpdate> events;
    try (OpflowClient client = client(kafka.bootstrapServers())) {
      events = client.events(runId);
    }

    assertThat(events)
        .extracting(u -> u.stepKey() + " " + u.status())
        .containsExactly(" STARTED", "a STARTED");
  }

  @Test
  void aBrokerThatDoesNotAnswerIsReportedWithinTheConnectTimeout() throws IOException {
    String dead = "127.0.0.1:" + closedPort();
    JobDefinition job =
        JobDefinition.builder("one")
            .add(OpDefinition.builder("only").output(Integer.class).body(ctx -> 1))
            .build();

    long start = System.nanoTime();
    try (OpflowClient client = client(dead)) {
      assertThatThrownBy(() -> client.submit(job, RunConfig.empty()))
          .isInstanceOf(BrokerUnreachableException.class)
          .hasMessageStartingWith("the Kafka broker at " + dead + " did not answer within 2 s");
      assertThatThrownBy(() -> client.watch("any"))
          .isInstanceOf(BrokerUnreachableException.class)
          .hasMessageContaining(dead);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
  }

  private static OpflowClient client(String bootstrapServers) {
    return OpflowClient.create(
        Map.of("bootstrap.servers", bootstrapServers), TOPICS, Duration.ofSeconds(2));
  }

  private static String describe(RunUpdate u) {
    return switch (u.source()) {
      case RUN -> "run " + u.status();
      case STEP -> u.stepKey() + "#" + u.attempt() + " " + u.status();
      case HOOK -> u.stepKey() + "#" + u.attempt() + " hook " + u.name() + " " + u.status();
      case SENSOR -> "sensor " + u.name() + " " + u.status();
    };
  }

  private static <T> void send(String topic, Serializer<T> serializer, String key, T value)
      throws Exception {
    Map<String, Object> props =
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<String, T> producer =
        new KafkaProducer<>(props, new StringSerializer(), serializer)) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  private static KafkaProducer<String, StepEvent> transactionalProducer() {
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            "client-test-" + UUID.randomUUID());
    return new KafkaProducer<>(props, new StringSerializer(), OpflowSerdes.stepEvents());
  }

  private static ProducerRecord<String, StepEvent> record(String topic, String key, StepEvent e) {
    return new ProducerRecord<>(topic, key, e);
  }

  private static StepEvent step(String runId, String key, int attempt, Object payload) {
    return new StepEvent(runId, key, attempt, "job", key, AT, payload, null);
  }

  private static HookEvent hook(String runId, String key, int attempt) {
    String id = runId + "/" + key + "/" + attempt + "/on_failure";
    return HookEvent.newBuilder()
        .setRunId(runId)
        .setStepKey(key)
        .setAttempt(attempt)
        .setHookName("on_failure")
        .setHookKind(HookKind.FAILURE)
        .setIdempotencyKey(id)
        .setTimestamp(AT)
        .setPayload(new HookCompleted(3L))
        .build();
  }

  private static RunEvent run(String runId, Object payload) {
    return new RunEvent(runId, "job", AT, payload);
  }

  private static StepStarted started() {
    return new StepStarted("worker-1", AT.plusSeconds(10));
  }

  private static StepSucceeded succeeded() {
    return new StepSucceeded(Map.of(), 1L, null);
  }

  private static StepFailed stepFailed() {
    return new StepFailed(ERROR, 5L, Map.of());
  }

  private static StepSkipped skipped() {
    return new StepSkipped("upstream a failed");
  }

  private static RunFailed failed() {
    return new RunFailed(List.of("a"), "step a failed");
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
