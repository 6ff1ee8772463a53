package io.opflow.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opflow.coordinator.internal.CoordinatorTopology;
import io.opflow.events.RunEvent;
import io.opflow.events.RunStarted;
import io.opflow.events.RunSucceeded;
import io.opflow.protocol.RunCommand;
import io.opflow.protocol.StepTask;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.OpflowTopics;
import io.opflow.testkit.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The coordinator on a real in-process broker, with fake workers answering its tasks. */
@Tag("integration")
class CoordinatorIntegrationTest {
  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path tmp;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
  private final OpflowTopics topics = OpflowTopics.withPrefix(prefix);
  private final List<RunEvent> runEvents = new ArrayList<>();

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void runsADiamondToSuccess() throws Exception {
    try (Coordinator coordinator = Coordinator.start(config("diamond", "state"), registry);
        FakeWorker worker = new FakeWorker(bootstrap(), topics);
        KafkaConsumer<String, RunEvent> events = runEventsConsumer()) {
      await().atMost(WAIT).until(coordinator::isRunning);
      submit("run-1", Jobs.diamond());

      awaitTerminal(events, "run-1");
      assertThat(terminalEvents("run-1")).singleElement().isInstanceOf(RunSucceeded.class);
      StepTask d = taskOf(worker, "d");
      assertThat(d.getInputsJson()).isEqualTo(Map.of("left", "\"b\"", "right", "\"c\""));
      assertThat(registry.find("opflow.runs").tag("status", "success").counter().count())
          .isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "fresh state dir: {0}")
  @ValueSource(booleans = {false, true})
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void aRestartedCoordinatorFinishesTheRunOnce(boolean freshStateDir) throws Exception {
    String appId = "restart-" + freshStateDir;
    Coordinator first = Coordinator.start(config(appId, "state-1"), registry);
    try (FakeWorker worker = new FakeWorker(bootstrap(), topics);
        KafkaConsumer<String, RunEvent> events = runEventsConsumer()) {
      try (first) {
        worker.hold(true);
        submit(
            "run-r",
            List.of(Jobs.node("a"), Jobs.node("b", "x=a.result"), Jobs.node("c", "x=b.result")));
        await().atMost(WAIT).until(() -> !worker.received().isEmpty());
      }
      // The worker answers step a while no coordinator runs; the next one must pick it up.
      worker.hold(false);
      String stateDir = freshStateDir ? "state-2" : "state-1";
      try (Coordinator second = Coordinator.start(config(appId, stateDir), registry)) {
        awaitTerminal(events, "run-r");
        await()
            .during(Duration.ofSeconds(1))
            .atMost(WAIT)
            .pollInSameThread()
            .until(() -> poll(events) >= 0 && terminalEvents("run-r").size() == 1);
      }
      assertThat(terminalEvents("run-r")).singleElement().isInstanceOf(RunSucceeded.class);
      assertThat(runEvents).filteredOn(e -> e.getPayload() instanceof RunStarted).hasSize(1);
      assertThat(worker.received()).extracting(StepTask::getStepKey).containsExactly("a", "b", "c");
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aWorkerThatStopsHeartbeatingIsDeclaredLostAndTheStepRetried() throws Exception {
    Map<String, Object> settings = new HashMap<>(settings("lost", "state"));
    settings.put(CoordinatorConfig.LEASE_MS_CONFIG, 1000L);
    try (Coordinator coordinator = Coordinator.start(new CoordinatorConfig(settings), registry);
        FakeWorker worker = new FakeWorker(bootstrap(), topics);
        KafkaConsumer<String, RunEvent> events = runEventsConsumer()) {
      worker.vanishOnFirstAttemptOf("a");
      submit("run-l", List.of(Jobs.node("a", Jobs.retry(1, 0)), Jobs.node("b", "x=a.result")));

      awaitTerminal(events, "run-l");
      assertThat(terminalEvents("run-l")).singleElement().isInstanceOf(RunSucceeded.class);
      assertThat(worker.received())
          .extracting(t -> t.getStepKey() + "#" + t.getAttempt())
          .containsExactly("a#1", "a#2", "b#1");
      assertThat(registry.find("opflow.workers.lost").counter().count()).isEqualTo(1);
      assertThat(registry.getMeters())
          .extracting(m -> m.getId().getName())
          .anyMatch(name -> name.startsWith("kafka.stream"));
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aRunSummaryWrittenAsEachStepEndsReachesTheChangelogOncePerCommit() throws Exception {
    Map<String, Object> settings = settings("cached", "state");
    settings.put(CoordinatorConfig.COMMIT_INTERVAL_MS_CONFIG, 5_000L);
    List<io.opflow.protocol.NodeSnapshot> wide =
        IntStream.rangeClosed(1, 20).mapToObj(i -> Jobs.node("s" + i)).toList();
    try (Coordinator coordinator = Coordinator.start(new CoordinatorConfig(settings), registry);
        FakeWorker worker = new FakeWorker(bootstrap(), topics);
        KafkaConsumer<String, RunEvent> events = runEventsConsumer()) {
      await().atMost(WAIT).until(coordinator::isRunning);
      submit("run-c", wide);

      awaitTerminal(events, "run-c");
      assertThat(terminalEvents("run-c")).singleElement().isInstanceOf(RunSucceeded.class);
    }

    // Uncached, the summary is logged when the run starts and as each of its 20 steps ends (the
    // last write being the delete): 21 records. Cached, once per commit that changed it: the run
    // spans two or three commits of 5 s, the last one deleting it.
    assertThat(changelogRecords(prefix + "cached-" + CoordinatorTopology.SUMMARIES_STORE, "run-c"))
        .isBetween(1, 3);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void refusesToStartWhenRunsAndStepEventsAreNotCoPartitioned() throws Exception {
    kafka.broker().createTopics(2, topics.runs());
    kafka.broker().createTopics(3, topics.stepEvents());
    CoordinatorConfig config = config("copart", "state");

    assertThatThrownBy(() -> Coordinator.start(config, registry))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(topics.runs() + "' (2 partitions)")
        .hasMessageContaining(topics.stepEvents() + "' (3 partitions)");
  }

  private CoordinatorConfig config(String appId, String stateDir) throws Exception {
    return new CoordinatorConfig(settings(appId, stateDir));
  }

  private Map<String, Object> settings(String appId, String stateDir) throws Exception {
    return new HashMap<>(
        Map.of(
            CoordinatorConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap(),
            CoordinatorConfig.TOPIC_PREFIX_CONFIG,
            prefix,
            CoordinatorConfig.TOPIC_PARTITIONS_CONFIG,
            2,
            CoordinatorConfig.APPLICATION_ID_CONFIG,
            prefix + appId,
            CoordinatorConfig.STATE_DIR_CONFIG,
            Files.createDirectories(tmp.resolve(stateDir)).toString()));
  }

  private String bootstrap() {
    return kafka.broker().bootstrapServers();
  }

  private void submit(String runId, List<io.opflow.protocol.NodeSnapshot> nodes) throws Exception {
    try (KafkaProducer<String, RunCommand> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()),
            new StringSerializer(),
            OpflowSerdes.runCommands().serializer())) {
      producer.send(new ProducerRecord<>(topics.runs(), runId, Jobs.request(runId, nodes))).get();
    }
  }

  private KafkaConsumer<String, RunEvent> runEventsConsumer() {
    KafkaConsumer<String, RunEvent> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "observer-" + prefix,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new StringDeserializer(),
            OpflowSerdes.runEvents().deserializer());
    consumer.subscribe(List.of(topics.runEvents()));
    return consumer;
  }

  private void awaitTerminal(KafkaConsumer<String, RunEvent> events, String runId) {
    await()
        .atMost(WAIT)
        .pollInSameThread()
        .until(() -> poll(events) >= 0 && !terminalEvents(runId).isEmpty());
  }

  private int poll(KafkaConsumer<String, RunEvent> events) {
    int before = runEvents.size();
    events.poll(Duration.ofMillis(100)).forEach(r -> runEvents.add(r.value()));
    return runEvents.size() - before;
  }

  private List<Object> terminalEvents(String runId) {
    return runEvents.stream()
        .filter(e -> e.getRunId().equals(runId))
        .map(RunEvent::getPayload)
        .filter(p -> !(p instanceof RunStarted))
        .toList();
  }

  // The committed records of a store's changelog whose key starts with the run id.
  private int changelogRecords(String storeOfApplication, String runId) {
    String topic = storeOfApplication + "-changelog";
    try (KafkaConsumer<String, byte[]> changelog =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          changelog.partitionsFor(topic).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      changelog.assign(partitions);
      changelog.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = changelog.endOffsets(partitions);
      int records = 0;
      while (partitions.stream().anyMatch(p -> changelog.position(p) < ends.get(p))) {
        for (var record : changelog.poll(Duration.ofMillis(200))) {
          records += record.key().startsWith(runId) ? 1 : 0;
        }
      }
      return records;
    }
  }

  private static StepTask taskOf(FakeWorker worker, String stepKey) {
    return worker.received().stream()
        .filter(t -> t.getStepKey().equals(stepKey))
        .findFirst()
        .orElseThrow();
  }
}
