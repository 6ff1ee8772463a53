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
import io.opflow.events.HookEvent;
import io.opflow.events.RunSucceeded;
import io.opflow.hooks.HooksRunner;
import io.opflow.hooks.HooksRunnerConfig;
import io.opflow.runtime.RuntimeConfig;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.OpflowTopics;
import io.opflow.testkit.EmbeddedKafkaBroker;
import io.opflow.testkit.TestCertificates;
import io.opflow.worker.Worker;
import io.opflow.worker.WorkerConfig;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roles on a broker that authenticates every client by its certificate (mutual TLS, {@code
 * ssl.client.auth=required}) and authorizes the principal the certificate's subject maps to ({@code
 * CN=worker-1,...} is {@code User:worker-1}), with {@code allow.everyone.if.no.acl.found=false}:
 * the second way docs/security.md describes to secure a cluster, beside SASL/SCRAM ({@link
 * SecuredClusterTest}).
 */
@Timeout(180)
class MutualTlsClusterTest {
  private static final String PREFIX = "mtls" + UUID.randomUUID().toString().substring(0, 6) + ".";
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

  @BeforeAll
  static void secureTheCluster() {
    broker = EmbeddedKafkaBroker.startMutualTls(TestCertificates.generate(certificates));
    String admin = broker.bootstrapServers(); // the super user's listener
    Cli.Result topics = Cli.run("topics", "-b", admin, "--topic-prefix", PREFIX, "--apply");
    assertThat(topics.code()).as(topics.err()).isZero();
    acls(admin, "coordinator", "coordinator-1");
    acls(admin, "worker", "worker-1");
    acls(admin, "hooks-runner", "hooks-1");
    acls(admin, "submitter", "submitter-1");
  }

  private static void acls(String admin, String role, String commonName) {
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
            "User:" + commonName,
            "--apply");
    assertThat(result.code()).as(result.err()).isZero();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void aRunGoesThroughEveryRoleEachAuthenticatedByItsOwnCertificate() throws Exception {
    Map<String, Object> coordinatorProps = roleConfig("coordinator-1");
    coordinatorProps.put(CoordinatorConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    Map<String, Object> workerProps = roleConfig("worker-1");
    workerProps.put(WorkerConfig.HEARTBEAT_MS_CONFIG, 500L);
    try (Coordinator coordinator =
            Coordinator.start(new CoordinatorConfig(coordinatorProps), new SimpleMeterRegistry());
        Worker worker =
            Worker.start(WorkerConfig.of(workerProps), DEFINITIONS, new SimpleMeterRegistry());
        HooksRunner hooks =
            HooksRunner.start(
                HooksRunnerConfig.of(roleConfig("hooks-1")),
                DEFINITIONS,
                new SimpleMeterRegistry());
        OpflowClient submitter =
            OpflowClient.create(broker.certificateClientConfig("submitter-1"), TOPICS)) {
      String runId = submitter.submit(DEFINITIONS, "billing", RunConfig.empty());

      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  TopicAccess.readAll(
                          broker.adminConfig(), TOPICS.hookEvents(), OpflowSerdes.hookEvents())
                      .stream()
                      .anyMatch(e -> receiptFired(e, runId)));
      assertThat(
              TopicAccess.readAll(
                  broker.adminConfig(), TOPICS.runEvents(), OpflowSerdes.runEvents()))
          .anyMatch(e -> e.getRunId().equals(runId) && e.getPayload() instanceof RunSucceeded);
      assertThat(coordinator.failure()).isEmpty();
      assertThat(worker.isHealthy()).isTrue();
      assertThat(hooks.isHealthy()).isTrue();
    }
  }

  @Test
  void aWorkerCertificateMayNotWriteRuns() {
    Map<String, Object> asWorker = broker.certificateClientConfig("worker-1");

    assertThatThrownBy(() -> TopicAccess.write(asWorker, TOPICS.runs()))
        .hasRootCauseInstanceOf(TopicAuthorizationException.class);
  }

  @Test
  void aCertificateWithoutAclsStopsAWorkerSayingWhichAclsToGrant(@TempDir Path dir)
      throws Exception {
    // The certificate's settings in a file, as an operator gives them: never on the command line.
    Properties settings = new Properties();
    broker
        .certificateClientConfig("stranger")
        .forEach(
            (key, value) -> {
              if (!key.equals("bootstrap.servers")) {
                settings.setProperty(RuntimeConfig.KAFKA_PREFIX + key, value.toString());
              }
            });
    Path file = dir.resolve("worker.properties");
    try (OutputStream out = Files.newOutputStream(file)) {
      settings.store(out, null);
    }

    Cli.Result result =
        Cli.run(
            "worker",
            "-b",
            broker.sslBootstrapServers(),
            "--topic-prefix",
            PREFIX,
            "--metrics-port",
            "0",
            "--example",
            "--config-file",
            file.toString());

    assertThat(result.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(result.err())
        .contains("worker cannot check its topics")
        .contains("opflow acls --role worker --principal User:NAME --apply");
  }

  @Test
  void aCertificateFromAnotherAuthorityIsRefusedAtTheHandshake(@TempDir Path dir) {
    TestCertificates other = TestCertificates.generate(dir);
    Map<String, Object> impostor = broker.certificateClientConfig("worker-1");
    impostor.put("ssl.keystore.location", other.issueClientCertificate("worker-1").toString());
    impostor.put("ssl.keystore.password", other.password());
    impostor.put("ssl.key.password", other.password());

    assertThatThrownBy(() -> TopicAccess.write(impostor, TOPICS.stepEvents()))
        .hasRootCauseInstanceOf(javax.net.ssl.SSLException.class);
  }

  private static boolean receiptFired(HookEvent event, String runId) {
    return event.getRunId().equals(runId)
        && event.getHookName().equals("receipt")
        && event.getPayload() instanceof HookCompleted;
  }

  // A role's settings: the mutual TLS listener, its certificate passed through as kafka.*.
  private static Map<String, Object> roleConfig(String commonName) {
    Map<String, Object> props = new HashMap<>();
    broker
        .certificateClientConfig(commonName)
        .forEach(
            (key, value) ->
                props.put(
                    key.equals("bootstrap.servers") ? key : RuntimeConfig.KAFKA_PREFIX + key,
                    value));
    props.put(RuntimeConfig.TOPIC_PREFIX_CONFIG, PREFIX);
    return props;
  }
}
