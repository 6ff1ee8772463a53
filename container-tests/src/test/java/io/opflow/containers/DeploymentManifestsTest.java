package io.opflow.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the Kubernetes manifests and the compose file for the mistakes that keep a cluster from
 * working: selectors that miss their pods, probes or scrape annotations on the wrong port, no
 * resource limits, a worker that cannot be scaled.
 */
class DeploymentManifestsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path DEPLOY = Path.of("..", "deploy");

  @ParameterizedTest
  @CsvSource({
    "coordinator,coordinator",
    "worker,worker",
    "hooks-runner,hooks-runner",
    "hooks-runner-failures,hooks-runner",
    "ui,ui"
  })
  void eachRoleIsADeploymentWithProbesLimitsAndScrapeAnnotations(String manifest, String role)
      throws IOException {
    JsonNode deployment =
        YAML.readTree(DEPLOY.resolve("kubernetes/" + manifest + ".yaml").toFile());

    assertThat(deployment.path("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(deployment.path("kind").asText()).isEqualTo("Deployment");
    JsonNode template = deployment.path("spec").path("template");
    assertThat(template.path("metadata").path("labels"))
        .isEqualTo(deployment.path("spec").path("selector").path("matchLabels"));
    JsonNode container = template.path("spec").path("containers").get(0);
    assertThat(container.path("args").get(0).asText()).isEqualTo(role);
    int port = metricsPort(container);
    for (String probe : List.of("readinessProbe", "livenessProbe")) {
      assertThat(container.path(probe).path("httpGet").path("path").asText()).isEqualTo("/health");
      assertThat(container.path(probe).path("httpGet").path("port").asInt()).isEqualTo(port);
    }
    JsonNode annotations = template.path("metadata").path("annotations");
    assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
    assertThat(annotations.path("prometheus.io/port").asInt()).isEqualTo(port);
    for (String kind : List.of("requests", "limits")) {
      assertThat(container.path("resources").path(kind).has("cpu")).as(kind + " cpu").isTrue();
      assertThat(container.path("resources").path(kind).has("memory"))
          .as(kind + " memory")
          .isTrue();
    }
    assertThat(deployment.path("spec").path("replicas").asInt()).isPositive();
  }

  @ParameterizedTest
  @ValueSource(strings = {"coordinator", "worker", "hooks-runner", "hooks-runner-failures", "ui"})
  void everyRoleCreatesTopicsWithTheClustersReplicationFactor(String role) throws IOException {
    JsonNode container =
        YAML.readTree(DEPLOY.resolve("kubernetes/" + role + ".yaml").toFile())
            .path("spec")
            .path("template")
            .path("spec")
            .path("containers")
            .get(0);
    JsonNode configMap = YAML.readTree(DEPLOY.resolve("kubernetes/configmap.yaml").toFile());

    assertThat(configMap.path("data").path("topic.replication.factor").asText()).isEqualTo("3");
    assertThat(container.path("args").toString())
        .contains("--config=opflow.topic.replication.factor=$(OPFLOW_TOPIC_REPLICATION_FACTOR)");
    assertThat(container.path("env").toString())
        .contains("OPFLOW_TOPIC_REPLICATION_FACTOR")
        .contains("topic.replication.factor");
  }

  @Test
  void twoHookLanesSplitTheHooksUnderTheirOwnGroupsInKubernetesAndCompose() throws IOException {
    List<String> lanes = new ArrayList<>();
    for (String manifest : List.of("hooks-runner", "hooks-runner-failures")) {
      JsonNode args =
          YAML.readTree(DEPLOY.resolve("kubernetes/" + manifest + ".yaml").toFile())
              .path("spec")
              .path("template")
              .path("spec")
              .path("containers")
              .get(0)
              .path("args");
      lanes.add(args.toString());
    }
    JsonNode services =
        YAML.readTree(DEPLOY.resolve("docker-compose.yml").toFile()).path("services");
    lanes.add(services.path("hooks-runner").path("command").toString());
    lanes.add(services.path("hooks-runner-failures").path("command").toString());

    for (String everythingElse : List.of(lanes.get(0), lanes.get(2))) {
      assertThat(everythingElse)
          .contains("--config=opflow.hooks.exclude=slack_message_on_failure")
          .doesNotContain("opflow.hooks.group.id");
    }
    for (String failures : List.of(lanes.get(1), lanes.get(3))) {
      assertThat(failures)
          .contains("\"hooks-runner\"")
          .contains("--config=opflow.hooks.include=slack_message_on_failure")
          .contains("--config=opflow.hooks.group.id=opflow-hooks-failures");
    }
  }

  @Test
  void theKustomizationListsEveryManifestAndEachOneExists() throws IOException {
    JsonNode kustomization =
        YAML.readTree(DEPLOY.resolve("kubernetes/kustomization.yaml").toFile());
    List<String> listed = new ArrayList<>();
    kustomization.path("resources").forEach(node -> listed.add(node.asText()));
    try (Stream<Path> files = Files.list(DEPLOY.resolve("kubernetes"))) {
      List<String> present =
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> !n.startsWith("kustomization"))
              .toList();
      assertThat(listed).containsExactlyInAnyOrderElementsOf(present);
    }
  }

  @Test
  void theComposeWorkerCanBeScaledAndEveryRoleReachesKafkaByServiceName() throws IOException {
    JsonNode services =
        YAML.readTree(DEPLOY.resolve("docker-compose.yml").toFile()).path("services");

    assertThat(services.fieldNames())
        .toIterable()
        .contains("kafka", "coordinator", "worker", "hooks-runner");
    for (String role : List.of("coordinator", "worker", "hooks-runner")) {
      JsonNode service = services.path(role);
      assertThat(service.has("container_name")).as(role + " container_name").isFalse();
      assertThat(service.has("ports")).as(role + " host ports").isFalse();
      assertThat(service.path("command").get(0).asText()).isEqualTo(role);
      assertThat(service.path("command").toString()).contains("--bootstrap-servers=kafka:9092");
    }
    assertThat(
            services.path("kafka").path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText())
        .isEqualTo("PLAINTEXT://kafka:9092");
    JsonNode ui = services.path("ui");
    assertThat(ui.path("command").get(0).asText()).isEqualTo("ui");
    assertThat(ui.path("command").toString())
        .contains("--bootstrap-servers=kafka:9092")
        .contains("--port=8080");
    assertThat(ui.path("ports").toString()).contains("8080:8080");
    assertThat(ui.path("profiles").toString()).as("not started by a plain up").contains("ui");
  }

  private static int metricsPort(JsonNode container) {
    for (JsonNode arg : container.path("args")) {
      if (arg.asText().startsWith("--metrics-port=")) {
        return Integer.parseInt(arg.asText().substring("--metrics-port=".length()));
      }
    }
    throw new AssertionError("no --metrics-port argument in " + container.path("args"));
  }
}
