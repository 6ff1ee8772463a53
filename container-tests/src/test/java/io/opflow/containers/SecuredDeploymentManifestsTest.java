package io.opflow.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the secured example (deploy/secured: compose file, Kubernetes manifests, the scripts) for
 * what would make it less secure than it says: a role sharing a principal or reading another's
 * Secret, credentials in arguments or the environment, a listener without TLS and authentication, a
 * broker that lets a principal without ACLs through, a principal the setup does not grant its
 * role's ACLs.
 */
class SecuredDeploymentManifestsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path SECURED = Path.of("..", "deploy", "secured");
  private static final List<String> ROLES =
      List.of("coordinator", "worker", "hooks-runner", "hooks-runner-failures");
  private static final Pattern USERNAME = Pattern.compile("username=\"([^\"]+)\"");
  private static final Pattern SETUP_ACLS = Pattern.compile("(?m)^acls (\\S+) User:(\\S+)");

  @ParameterizedTest
  @ValueSource(strings = {"coordinator", "worker", "hooks-runner", "hooks-runner-failures"})
  void eachKubernetesRoleReadsItsCredentialsFromAFileOfItsOwnSecretOnly(String role)
      throws IOException {
    JsonNode deployment = YAML.readTree(SECURED.resolve("kubernetes/" + role + ".yaml").toFile());
    JsonNode pod = deployment.path("spec").path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);

    assertThat(deployment.path("kind").asText()).isEqualTo("Deployment");
    assertThat(deployment.path("spec").path("template").path("metadata").path("labels"))
        .isEqualTo(deployment.path("spec").path("selector").path("matchLabels"));
    assertThat(texts(container.path("args")))
        .contains("--config-file=/etc/opflow/kafka/client.properties")
        .contains("--bootstrap-servers=$(KAFKA_BOOTSTRAP_SERVERS)");
    assertThat(secretVolumes(pod))
        .containsExactly(Map.entry("opflow-" + role + "-kafka", "kafka-credentials"));
    assertThat(mountPath(container, "kafka-credentials")).isEqualTo("/etc/opflow/kafka");
    assertNoCredentialsIn(container.path("args"), container.path("env"));
    assertThat(container.path("env").toString()).doesNotContain("secretKeyRef");
    assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    for (String probe : List.of("readinessProbe", "livenessProbe")) {
      assertThat(container.path(probe).path("httpGet").path("path").asText()).isEqualTo("/health");
    }
    assertThat(container.path("resources").path("limits").has("memory")).isTrue();
  }

  @Test
  void theKustomizationGeneratesOneSecretPerPrincipalAndListsEveryManifest() throws IOException {
    JsonNode kustomization = YAML.readTree(SECURED.resolve("kustomization.yaml").toFile());
    Map<String, String> secrets = new TreeMap<>();
    kustomization
        .path("secretGenerator")
        .forEach(s -> secrets.put(s.path("name").asText(), texts(s.path("files")).toString()));
    List<String> listed = texts(kustomization.path("resources"));

    for (String role : ROLES) {
      assertThat(secrets)
          .containsEntry("opflow-" + role + "-kafka", "[client.properties=secrets/" + role + "]");
    }
    assertThat(secrets)
        .containsEntry("opflow-admin-kafka", "[client.properties=secrets/admin]")
        .containsEntry("opflow-scram-users", "[scram-users=secrets/scram-users]")
        .hasSize(ROLES.size() + 2);
    try (Stream<Path> files = Files.list(SECURED.resolve("kubernetes"))) {
      assertThat(listed)
          .containsExactlyInAnyOrderElementsOf(
              files.map(f -> "kubernetes/" + f.getFileName()).toList());
    }
  }

  @Test
  void onlyTheSetupJobMountsTheAdminsAndTheUsersSecretsAndItRunsTheComposeSetupScript()
      throws IOException {
    JsonNode job = YAML.readTree(SECURED.resolve("kubernetes/setup-job.yaml").toFile());
    JsonNode pod = job.path("spec").path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);
    JsonNode kustomization = YAML.readTree(SECURED.resolve("kustomization.yaml").toFile());

    assertThat(job.path("kind").asText()).isEqualTo("Job");
    assertThat(secretVolumes(pod)).containsOnlyKeys("opflow-admin-kafka", "opflow-scram-users");
    assertThat(texts(container.path("command"))).contains("/opt/opflow/setup/setup.sh");
    assertThat(kustomization.path("configMapGenerator").toString()).contains("scripts/setup.sh");
    assertThat(container.path("env").toString())
        .contains("OPFLOW_ADMIN_CONFIG")
        .contains(mountPath(container, "kafka-credentials") + "/client.properties")
        .contains(mountPath(container, "scram-users") + "/scram-users");
    assertNoCredentialsIn(container.path("args"), container.path("env"));
  }

  @Test
  void eachComposeRoleHasItsOwnSecretAndReachesKafkaOnlyOverSaslSsl() throws IOException {
    JsonNode services =
        YAML.readTree(SECURED.resolve("docker-compose.yml").toFile()).path("services");
    Set<String> mounted = new HashSet<>();

    for (String role : ROLES) {
      JsonNode service = services.path(role);
      assertThat(texts(service.path("secrets"))).as(role).containsExactly(role);
      assertThat(texts(service.path("command")))
          .contains("--bootstrap-servers=kafka:9093", "--config-file=/run/secrets/" + role);
      assertNoCredentialsIn(service.path("command"), service.path("environment"));
      assertThat(service.has("ports")).as(role + " host ports").isFalse();
      mounted.addAll(texts(service.path("secrets")));
    }
    assertThat(mounted).hasSize(ROLES.size());
    assertThat(texts(services.path("setup").path("secrets")))
        .containsExactlyInAnyOrder("admin", "scram-users");
    assertThat(texts(services.path("cli").path("secrets"))).containsExactly("cli");
    assertThat(texts(services.path("kafka").path("secrets"))).containsExactly("kafka");
    assertThat(services.path("kafka").has("ports")).isFalse();
    for (String service : List.of("kafka-init", "kafka", "setup", "cli")) {
      assertNoCredentialsIn(
          services.path(service).path("command"), services.path(service).path("environment"));
    }
    YAML.readTree(SECURED.resolve("docker-compose.yml").toFile())
        .path("secrets")
        .forEach(
            secret ->
                assertThat(secret.path("file").asText())
                    .startsWith("${OPFLOW_SECRETS_DIR:-./secrets}/"));
  }

  @Test
  void theBrokerAuthenticatesEveryClientOverTlsAndAllowsOnlyWhatAclsGrant() throws IOException {
    Properties broker = new Properties();
    try (InputStream in = Files.newInputStream(SECURED.resolve("kafka/server.properties"))) {
      broker.load(in);
    }

    for (String listener : broker.getProperty("listeners").split(",", -1)) {
      assertThat(listener)
          .matches("SASL_SSL://0\\.0\\.0\\.0:9093|CONTROLLER://127\\.0\\.0\\.1:\\d+");
    }
    assertThat(broker.getProperty("advertised.listeners")).isEqualTo("SASL_SSL://kafka:9093");
    assertThat(broker.getProperty("listener.security.protocol.map"))
        .isEqualTo("SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
    assertThat(broker.getProperty("sasl.enabled.mechanisms")).isEqualTo("SCRAM-SHA-512");
    assertThat(broker.getProperty("authorizer.class.name"))
        .isEqualTo("org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    assertThat(broker.getProperty("allow.everyone.if.no.acl.found")).isEqualTo("false");
    assertThat(broker.getProperty("auto.create.topics.enable")).isEqualTo("false");
    assertThat(broker.getProperty("super.users")).isEqualTo("User:admin;User:ANONYMOUS");
    for (String secret : List.of("ssl.keystore.password", "ssl.key.password")) {
      assertThat(broker.getProperty(secret)).startsWith("${file:/run/secrets/kafka:");
    }
    assertThat(broker.getProperty("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config"))
        .contains("password=\"${file:/run/secrets/kafka:admin.password}\"");
  }

  @Test
  void makeSecretsGivesEachRoleItsOwnUserAndTheSetupGrantsItThatRolesAcls(@TempDir Path dir)
      throws Exception {
    Process make =
        new ProcessBuilder("bash", SECURED.resolve("make-secrets.sh").toString(), dir.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(make.waitFor(30, TimeUnit.SECONDS) && make.exitValue() == 0).as(output).isTrue();
    Map<String, String> granted = new TreeMap<>();
    Matcher acls = SETUP_ACLS.matcher(Files.readString(SECURED.resolve("scripts/setup.sh")));
    while (acls.find()) {
      granted.merge(acls.group(2), acls.group(1), (a, b) -> a + "+" + b);
    }

    Map<String, String> users = new TreeMap<>();
    for (String file :
        List.of("coordinator", "worker", "hooks-runner", "hooks-runner-failures", "cli", "admin")) {
      users.put(file, username(dir.resolve(file)));
    }

    assertThat(new HashSet<>(users.values())).as("one principal each").hasSize(users.size());
    assertThat(granted)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                users.get("coordinator"), "coordinator",
                users.get("worker"), "worker",
                users.get("hooks-runner"), "hooks-runner",
                users.get("hooks-runner-failures"), "hooks-runner",
                users.get("cli"), "submitter+watcher"));
    assertThat(Files.readString(dir.resolve("worker")))
        .contains("kafka.security.protocol=SASL_SSL")
        .contains("kafka.sasl.mechanism=SCRAM-SHA-512");
    assertThat(Files.readString(dir.resolve("scram-users")).lines()).hasSize(users.size());
    assertThat(Files.getPosixFilePermissions(dir.resolve("worker")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  private static String username(Path settings) throws IOException {
    Matcher matcher = USERNAME.matcher(Files.readString(settings));
    assertThat(matcher.find()).as(settings + " names a user").isTrue();
    return matcher.group(1);
  }

  // Credentials belong in files: no argument or environment value may carry one.
  private static void assertNoCredentialsIn(JsonNode... nodes) {
    for (JsonNode node : nodes) {
      assertThat(node.toString().toLowerCase(Locale.ROOT))
          .doesNotContain("password")
          .doesNotContain("jaas")
          .doesNotContain("scrammodule");
    }
  }

  // Secret name -> volume name, of a pod's volumes that come from a Secret.
  private static Map<String, String> secretVolumes(JsonNode pod) {
    Map<String, String> volumes = new TreeMap<>();
    pod.path("volumes")
        .forEach(
            v -> {
              if (v.has("secret")) {
                volumes.put(v.path("secret").path("secretName").asText(), v.path("name").asText());
              }
            });
    return volumes;
  }

  private static String mountPath(JsonNode container, String volume) {
    for (JsonNode mount : container.path("volumeMounts")) {
      if (mount.path("name").asText().equals(volume)) {
        return mount.path("mountPath").asText();
      }
    }
    throw new AssertionError("no mount of " + volume + " in " + container.path("volumeMounts"));
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }
}
