package io.opflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opflow.client.OpflowClient;
import io.opflow.coordinator.Coordinator;
import io.opflow.coordinator.CoordinatorConfig;
import io.opflow.core.Definitions;
import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.config.RunConfig;
import io.opflow.events.HookCompleted;
import io.opflow.events.StepEvent;
import io.opflow.events.StepSucceeded;
import io.opflow.hooks.HooksRunner;
import io.opflow.hooks.HooksRunnerConfig;
import io.opflow.protocol.StepTask;
import io.opflow.runtime.RuntimeConfig;
import io.opflow.schemas.AvroEventSerde;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.OpflowTopics;
import io.opflow.testkit.EmbeddedKafkaBroker;
import io.opflow.testkit.TestCertificates;
import io.opflow.ui.UiOptions;
import io.opflow.ui.UiServer;
import io.opflow.worker.Worker;
import io.opflow.worker.WorkerConfig;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roles on a broker that authenticates (SASL SCRAM-SHA-512 over TLS) and authorizes every principal
 * ({@code allow.everyone.if.no.acl.found=false}): an operator creates the topics ({@code opflow
 * topics --apply}) and each role's ACLs ({@code opflow acls --apply}); each role then works with
 * exactly its set, without the right to create topics, and is denied what it does not need.
 */
@Timeout(180)
class SecuredClusterTest {
  private static final String PASSWORD = "pw-" + UUID.randomUUID();
  private static final String PREFIX = "sec" + UUID.randomUUID().toString().substring(0, 6) + ".";
  private static final OpflowTopics TOPICS = OpflowTopics.withPrefix(PREFIX);

  private static final OpDefinition<?> CHARGE =
      OpDefinition.builder("charge").output(Integer.class).body(ctx -> 42);
  private static final HookDefinition RECEIPT =
      HookDefinition.successHook("receipt").handler(ctx -> {});
  private static final Definitions DEFINITIONS =
      Definitions.builder()
          .codeVersion("v1")
          .jobs(JobDefinition.builder("billing").add(CHARGE).hooks(RECEIPT).build())
          .build();

  @TempDir static Path certificates;

  private static EmbeddedKafkaBroker broker;
  private static Cli.Result topicsApplied;

  @BeforeAll
  static void secureTheCluster() {
    // SASL_SSL: SCRAM-SHA-512 over TLS, with a certificate made for this test.
    broker = EmbeddedKafkaBroker.startSecured(TestCertificates.generate(certificates));
    String admin = broker.bootstrapServers(); // the super user's listener
    topicsApplied = Cli.run("topics", "-b", admin, "--topic-prefix", PREFIX, "--apply");
    for (String user :
        List.of("coordinator", "worker", "hooks", "submitter", "watcher", "ui", "nobody")) {
      broker.createScramUser(user, PASSWORD);
    }
    acls(admin, "coordinator", "coordinator");
    acls(admin, "worker", "worker");
    acls(admin, "hooks-runner", "hooks");
    acls(admin, "submitter", "submitter");
    acls(admin, "watcher", "watcher");
    acls(admin, "ui", "ui");
  }

  private static void acls(String admin, String role, String user) {
    Cli.Result result =
        Cli.run(
            "acls",
            "-b",
            admin,
            "--topic-prefix",
            PREFIX,
            "--role",
            role,
            "--principal",
            "User:" + user,
            "--apply");
    assertThat(result.code()).as(result.err()).isZero();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void theOperatorCreatesTheTopicsOnceAndAgainFindsThemAsSpecified() {
    assertThat(topicsApplied.code()).as(topicsApplied.err()).isZero();
    assertThat(topicsApplied.out())
        .contains(TOPICS.stepTasks() + " partitions=12 replication.factor=1")
        .contains(TOPICS.specs().size() + " topics present as specified");

    Cli.Result again =
        Cli.run("topics", "-b", broker.bootstrapServers(), "--topic-prefix", PREFIX, "--apply");
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("present as specified");
  }

  @Test
  void aRunGoesThroughEveryRoleEachUnderItsOwnPrincipalWithItsOwnAcls() throws Exception {
    Map<String, Object> coordinatorProps = roleConfig("coordinator");
    coordinatorProps.put(CoordinatorConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    try (Coordinator coordinator =
            Coordinator.start(new CoordinatorConfig(coordinatorProps), new SimpleMeterRegistry());
        Worker worker = Worker.start(workerConfig(), DEFINITIONS, new SimpleMeterRegistry());
        HooksRunner hooks =
            HooksRunner.start(
                HooksRunnerConfig.of(roleConfig("hooks")), DEFINITIONS, new SimpleMeterRegistry());
        OpflowClient submitter =
            OpflowClient.create(broker.clientConfig("submitter", PASSWORD), TOPICS)) {
      String runId = submitter.submit(DEFINITIONS, "billing", RunConfig.empty());

      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  TopicAccess.readAll(
                          broker.adminConfig(), TOPICS.hookEvents(), OpflowSerdes.hookEvents())
                      .stream()
                      .anyMatch(
                          e ->
                              e.getRunId().equals(runId)
                                  && e.getHookName().equals("receipt")
                                  && e.getPayload() instanceof HookCompleted));
      assertThat(coordinator.failure()).isEmpty();
      assertThat(worker.isHealthy()).isTrue();
      assertThat(hooks.isHealthy()).isTrue();
    }
  }

  @Test
  void theUiWithItsAclsShowsTheClusterAndSubmitsARunButMayNotReadTasks() throws Exception {
    Map<String, Object> coordinatorProps = roleConfig("coordinator");
    coordinatorProps.put(CoordinatorConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    Map<String, Object> asUi = broker.clientConfig("ui", PASSWORD);
    try (Coordinator coordinator =
            Coordinator.start(new CoordinatorConfig(coordinatorProps), new SimpleMeterRegistry());
        Worker worker = Worker.start(workerConfig(), DEFINITIONS, new SimpleMeterRegistry());
        HooksRunner hooks =
            HooksRunner.start(
                HooksRunnerConfig.of(roleConfig("hooks")), DEFINITIONS, new SimpleMeterRegistry());
        UiServer ui = UiServer.start(asUi, TOPICS, UiOptions.defaults().withPort(0), DEFINITIONS)) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://localhost:" + ui.port();
      HttpResponse<String> submitted =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/submit"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .header("Origin", base)
                  .POST(HttpRequest.BodyPublishers.ofString("job=billing&config="))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(303);
      String runPage = submitted.headers().firstValue("Location").orElseThrow();

      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> get(http, base + runPage).contains("receipt"));
      assertThat(get(http, base + runPage)).contains("SUCCEEDED");
      String cluster = get(http, base + "/cluster");
      assertThat(cluster)
          .doesNotContain("Kafka did not answer")
          .contains("opflow-workers")
          .contains("records in the dead-letter topic");
      assertThat(hooks.isHealthy()).isTrue();
      assertThat(coordinator.failure()).isEmpty();
      assertThat(worker.isHealthy()).isTrue();
    }

    assertThatThrownBy(() -> readAsUser(asUi, TOPICS.stepTasks(), null))
        .isInstanceOf(TopicAuthorizationException.class);
  }

  private static String get(HttpClient http, String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void aWorkerWithItsAclsRunsAStepAndIsDeniedWhatItDoesNotNeed() throws Exception {
    String runId = UUID.randomUUID().toString();
    try (Worker worker = Worker.start(workerConfig(), DEFINITIONS, new SimpleMeterRegistry())) {
      send(
          TOPICS.stepTasks(),
          runId + "/charge",
          new StepTask(
              runId,
              "billing",
              "charge",
              "charge",
              1,
              Map.of(),
              "{}",
              "v1",
              10_000L,
              Instant.now(),
              List.of()),
          OpflowSerdes.stepTasks());

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  TopicAccess.readAll(
                          broker.adminConfig(), TOPICS.stepEvents(), OpflowSerdes.stepEvents())
                      .stream()
                      .anyMatch(
                          e ->
                              e.getRunId().equals(runId)
                                  && e.getPayload() instanceof StepSucceeded));
      assertThat(worker.isHealthy()).isTrue();
    }

    Map<String, Object> asWorker = broker.clientConfig("worker", PASSWORD);
    assertThatThrownBy(() -> TopicAccess.write(asWorker, TOPICS.runs()))
        .hasRootCauseInstanceOf(TopicAuthorizationException.class);
    assertThatThrownBy(() -> readAsUser(asWorker, TOPICS.hookEvents(), null))
        .isInstanceOf(TopicAuthorizationException.class);
    assertThatThrownBy(() -> readAsUser(asWorker, TOPICS.stepTasks(), "opflow-coordinator"))
        .isInstanceOf(GroupAuthorizationException.class);
  }

  @Test
  void aHooksRunnerWithItsAclsFiresAHookAndMayNotReadTasks() throws Exception {
    String runId = UUID.randomUUID().toString();
    try (HooksRunner runner =
        HooksRunner.start(
            HooksRunnerConfig.of(roleConfig("hooks")), DEFINITIONS, new SimpleMeterRegistry())) {
      send(
          TOPICS.stepEvents(),
          runId,
          new StepEvent(
              runId,
              "charge",
              1,
              "billing",
              "charge",
              Instant.now(),
              new StepSucceeded(Map.of("result", "42"), 3L, null),
              null),
          OpflowSerdes.stepEvents());

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  TopicAccess.readAll(
                          broker.adminConfig(), TOPICS.hookEvents(), OpflowSerdes.hookEvents())
                      .stream()
                      .anyMatch(
                          e ->
                              e.getRunId().equals(runId)
                                  && e.getPayload() instanceof HookCompleted));
      assertThat(runner.isHealthy()).isTrue();
    }
    Map<String, Object> asHooks = broker.clientConfig("hooks", PASSWORD);
    assertThatThrownBy(() -> readAsUser(asHooks, TOPICS.stepTasks(), null))
        .isInstanceOf(TopicAuthorizationException.class);
  }

  @Test
  void aSubmitterMaySubmitButCannotReadStepOutputs() throws Exception {
    Map<String, Object> asSubmitter = broker.clientConfig("submitter", PASSWORD);

    TopicAccess.write(asSubmitter, TOPICS.runs()); // allowed: no exception

    assertThatThrownBy(() -> readAsUser(asSubmitter, TOPICS.stepEvents(), null))
        .isInstanceOf(TopicAuthorizationException.class);
  }

  @Test
  void aRoleWithoutItsAclsStopsSayingWhatWasRefusedAndHowToGrantIt(@TempDir Path dir)
      throws Exception {
    // Credentials in a file, as an operator gives them: never on the command line.
    Properties credentials = new Properties();
    broker
        .clientConfig("nobody", PASSWORD)
        .forEach(
            (key, value) -> {
              if (!key.equals("bootstrap.servers")) {
                credentials.setProperty(RuntimeConfig.KAFKA_PREFIX + key, value.toString());
              }
            });
    Path file = dir.resolve("worker.properties");
    try (OutputStream out = Files.newOutputStream(file)) {
      credentials.store(out, null);
    }
    List<String> args =
        List.of(
            "worker",
            "-b",
            broker.saslBootstrapServers(),
            "--topic-prefix",
            PREFIX,
            "--metrics-port",
            "0",
            "--example",
            "--config-file",
            file.toString());

    Cli.Result result = Cli.run(args.toArray(String[]::new));

    assertThat(result.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(result.err())
        .contains("worker cannot check its topics")
        .contains("the broker refused this principal")
        .contains("opflow acls --role worker --principal User:NAME --apply")
        .doesNotContain(PASSWORD);
  }

  @Test
  void theCliReadsRunsWithTheWatchersCredentialsFromACommandConfigFile(@TempDir Path dir)
      throws Exception {
    Path watcher = commandConfig(dir, "watcher");
    Path submitter = commandConfig(dir, "submitter");
    String sasl = broker.saslBootstrapServers();

    Cli.Result asWatcher =
        Cli.run(
            "runs", "-b", sasl, "--topic-prefix", PREFIX, "--command-config", watcher.toString());
    Cli.Result asSubmitter =
        Cli.run(
            "runs", "-b", sasl, "--topic-prefix", PREFIX, "--command-config", submitter.toString());

    assertThat(asWatcher.code()).as(asWatcher.err()).isZero();
    assertThat(asWatcher.out()).contains("RUN ID");
    assertThat(asSubmitter.code()).isNotZero();
    assertThat(asSubmitter.err())
        .contains("the broker refused this principal access to topic(s) [" + TOPICS.runEvents())
        .contains("opflow acls --role watcher --principal User:NAME --apply")
        .doesNotContain(PASSWORD);
  }

  @Test
  void theOperatorCreatesScramUsersFromAFileWhoThenAuthenticate(@TempDir Path dir)
      throws Exception {
    String user = "fresh-" + UUID.randomUUID().toString().substring(0, 6);
    String password = "pw-" + UUID.randomUUID();
    Path file = dir.resolve("scram-users");
    Files.writeString(
        file,
        "# one a line\n"
            + "SCRAM-SHA-512=[name="
            + user
            + ",password="
            + password
            + "]\nSCRAM-SHA-512=[name=watcher,password=not-its-own]\n");
    assertThatThrownBy(() -> listTopics(broker.clientConfig(user, password)))
        .hasRootCauseInstanceOf(SaslAuthenticationException.class);

    Cli.Result asWatcher =
        Cli.run(
            "users",
            "-b",
            broker.saslBootstrapServers(),
            "--command-config",
            commandConfig(dir, "watcher").toString(),
            "--scram-users",
            file.toString());
    Cli.Result applied =
        Cli.run(
            "users", "-b", broker.bootstrapServers(), "--scram-users", file.toString(), "--apply");

    assertThat(asWatcher.code()).as(asWatcher.err()).isZero();
    assertThat(asWatcher.out())
        .contains("User:" + user + " SCRAM-SHA-512")
        .contains("User:watcher left alone")
        .doesNotContain("User:watcher SCRAM");
    assertThat(applied.code()).as(applied.err()).isZero();
    assertThat(applied.out()).contains("2 SCRAM users created or updated").doesNotContain(password);
    assertThat(listTopics(broker.clientConfig(user, password))).isNotNull();
    broker.createScramUser("watcher", PASSWORD); // as it was, for the other tests
  }

  private static Set<String> listTopics(Map<String, Object> asUser) throws Exception {
    try (Admin admin = Admin.create(asUser)) {
      return admin.listTopics().names().get(20, TimeUnit.SECONDS);
    }
  }

  // A user's Kafka client settings in a file, for --command-config, as Kafka's tools take them.
  private static Path commandConfig(Path dir, String user) throws Exception {
    Properties settings = new Properties();
    broker
        .clientConfig(user, PASSWORD)
        .forEach((key, value) -> settings.setProperty(key, value.toString()));
    Path file = dir.resolve(user + ".properties");
    try (OutputStream out = Files.newOutputStream(file)) {
      settings.store(out, null);
    }
    return file;
  }

  @Test
  void theAclsOfARoleArePrintedOneALineAndAnUnknownRoleIsBadInput() {
    Cli.Result printed =
        Cli.run(
            "acls",
            "-b",
            broker.bootstrapServers(),
            "--topic-prefix",
            PREFIX,
            "--role",
            "worker",
            "--principal",
            "User:w1");
    Cli.Result unknown = Cli.run("acls", "-b", "x:1", "--role", "admin", "--principal", "User:w1");
    Cli.Result noType = Cli.run("acls", "-b", "x:1", "--role", "worker", "--principal", "w1");

    assertThat(printed.code()).isZero();
    assertThat(printed.out())
        .contains("ALLOW User:w1 READ TOPIC " + TOPICS.stepTasks())
        .contains("ALLOW User:w1 READ GROUP opflow-workers")
        .doesNotContain("WRITE TOPIC " + TOPICS.runs())
        .doesNotContain("CREATE");
    assertThat(unknown.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(unknown.err()).contains("unknown role 'admin'");
    assertThat(noType.err()).contains("write it as User:w1");
  }

  private static WorkerConfig workerConfig() {
    Map<String, Object> props = roleConfig("worker");
    props.put(WorkerConfig.HEARTBEAT_MS_CONFIG, 500L);
    return WorkerConfig.of(props);
  }

  // A role's settings: the SASL listener, the user's credentials passed through as kafka.*.
  private static Map<String, Object> roleConfig(String user) {
    Map<String, Object> props = new HashMap<>();
    broker
        .clientConfig(user, PASSWORD)
        .forEach(
            (key, value) ->
                props.put(
                    key.equals("bootstrap.servers") ? key : RuntimeConfig.KAFKA_PREFIX + key,
                    value));
    props.put(RuntimeConfig.TOPIC_PREFIX_CONFIG, PREFIX);
    return props;
  }

  private static <T extends SpecificRecord> void send(
      String topic, String key, T event, AvroEventSerde<T> serde) throws Exception {
    RecordHeaders headers = new RecordHeaders();
    byte[] value = serde.serialize(topic, headers, event);
    try (KafkaProducer<byte[], byte[]> producer = producer(broker.adminConfig())) {
      producer
          .send(
              new ProducerRecord<>(
                  topic, null, key.getBytes(StandardCharsets.UTF_8), value, headers))
          .get(10, TimeUnit.SECONDS);
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(Map<String, Object> props) {
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  // Polls a topic as a user, subscribed in a group or assigned without one; throws what poll does.
  private static void readAsUser(Map<String, Object> asUser, String topic, String group) {
    Map<String, Object> props = new HashMap<>(asUser);
    if (group != null) {
      props.put("group.id", group);
    }
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      if (group != null) {
        consumer.subscribe(List.of(topic));
      } else {
        consumer.assign(List.of(new TopicPartition(topic, 0)));
        consumer.seekToBeginning(consumer.assignment());
      }
      long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < until) {
        consumer.poll(Duration.ofMillis(200));
      }
    }
  }
}
