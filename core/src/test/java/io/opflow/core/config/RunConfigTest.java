package io.opflow.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opflow.core.OpflowException;
import io.opflow.core.spi.ConfigBinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunConfigTest {
  private static final String YAML =
      """
      ops:
        a:
          config:
            threshold: 3
            tags: [x, y]
        b: {}
      resources:
        slack:
          config:
            token: {env: SLACK_TOKEN}
      """;

  record Slack(String channel, Duration timeout, Optional<String> note) {}

  private static List<String> problemsOf(Runnable parse) {
    try {
      parse.run();
    } catch (InvalidRunConfigException e) {
      return e.problems().stream().map(ConfigProblem::toString).toList();
    }
    throw new AssertionError("expected an InvalidRunConfigException");
  }

  @Test
  void parsesYamlSections() {
    RunConfig config = RunConfig.fromYaml(YAML);

    assertThat(config.opNodes()).containsExactly("a", "b");
    assertThat(config.resourceKeys()).containsExactly("slack");
    assertThat(config.opConfig("a").toString())
        .isEqualTo("{\"threshold\":3,\"tags\":[\"x\",\"y\"]}");
    assertThat(config.opConfig("b")).isNull();
    assertThat(config.opConfig("missing")).isNull();
    assertThat(config.resourceConfig("slack").toString())
        .isEqualTo("{\"token\":{\"env\":\"SLACK_TOKEN\"}}");
  }

  @Test
  void parsesJsonToTheSameConfigAsYaml() {
    String json =
        "{\"ops\":{\"a\":{\"config\":{\"threshold\":3,\"tags\":[\"x\",\"y\"]}},\"b\":{}},"
            + "\"resources\":{\"slack\":{\"config\":{\"token\":{\"env\":\"SLACK_TOKEN\"}}}}}";

    assertThat(RunConfig.fromJson(json)).isEqualTo(RunConfig.fromYaml(YAML));
    assertThat(RunConfig.fromJson(json).hashCode()).isEqualTo(RunConfig.fromYaml(YAML).hashCode());
  }

  @Test
  void treatsEmptyTextAndEmptySectionsAsTheEmptyConfig() {
    assertThat(RunConfig.fromYaml("")).isEqualTo(RunConfig.empty());
    assertThat(RunConfig.fromYaml("ops:\nresources: {}")).isEqualTo(RunConfig.empty());
    assertThat(RunConfig.empty().toJson()).isEqualTo("{}");
    assertThat(RunConfig.empty().opNodes()).isEmpty();
  }

  @Test
  void reportsYamlSyntaxErrorsWithLineAndColumn() {
    assertThat(problemsOf(() -> RunConfig.fromYaml("ops:\n  a: [1, 2\n  b: 3\n")))
        .containsExactly(
            "line 3, column 4: while parsing a flow sequence; expected ',' or ']', but got :");
    assertThat(problemsOf(() -> RunConfig.fromYaml("ops: a: b")))
        .containsExactly("line 1, column 7: mapping values are not allowed here");
  }

  @Test
  void reportsJsonSyntaxErrorsWithLineAndColumn() {
    assertThatThrownBy(() -> RunConfig.fromJson("{\n  \"ops\": {,}\n}"))
        .isInstanceOf(InvalidRunConfigException.class)
        .hasMessageStartingWith("Invalid run config (1 problem):\n  - line 2, column 11: ");
  }

  @Test
  void refusesDuplicateKeys() {
    assertThat(problemsOf(() -> RunConfig.fromYaml("ops:\n  a: {}\n  a: {}\n")))
        .singleElement()
        .asString()
        .startsWith("line 3, column ")
        .contains("Duplicate field 'a'");
  }

  @Test
  void reportsEveryShapeProblemAtOnce() {
    String yaml =
        """
        opz: {}
        ops:
          a: 3
          b: {confg: {}}
        resources: [1]
        """;

    assertThat(problemsOf(() -> RunConfig.fromYaml(yaml)))
        .containsExactly(
            "opz: unknown field; expected one of: ops, resources",
            "ops.a: expected an object, got 3",
            "ops.b.confg: unknown field; expected one of: config, timeout",
            "resources: expected an object, got a list");
  }

  @Test
  void refusesATopLevelThatIsNotAnObject() {
    assertThat(problemsOf(() -> RunConfig.fromYaml("- 1")))
        .containsExactly("run config: expected an object, got a list");
  }

  @Test
  void formatsTheExceptionMessageWithEveryProblem() {
    InvalidRunConfigException e =
        new InvalidRunConfigException(
            List.of(
                new ConfigProblem("ops.b.config.threshold", "expected an integer, got \"x\""),
                new ConfigProblem("ops.c", "expected an object, got 3")));

    assertThat(e)
        .isInstanceOf(OpflowException.class)
        .hasMessage(
            """
            Invalid run config (2 problems):
              - ops.b.config.threshold: expected an integer, got "x"
              - ops.c: expected an object, got 3""");
  }

  @Test
  void readsFilesByExtension(@TempDir Path dir) throws Exception {
    Path yaml = Files.writeString(dir.resolve("run.yml"), YAML);
    Path json = Files.writeString(dir.resolve("run.json"), RunConfig.fromYaml(YAML).toJson());

    assertThat(RunConfig.fromFile(yaml)).isEqualTo(RunConfig.fromYaml(YAML));
    assertThat(RunConfig.fromFile(json)).isEqualTo(RunConfig.fromYaml(YAML));
  }

  @Test
  void namesTheFileInSyntaxErrors(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("run.json"), "{\"ops\": ");

    assertThat(problemsOf(() -> RunConfig.fromFile(file)))
        .singleElement()
        .asString()
        .startsWith(file + ", line 1, column ");
  }

  @Test
  void refusesUnknownExtensionsAndUnreadableFiles(@TempDir Path dir) {
    assertThat(problemsOf(() -> RunConfig.fromFile(dir.resolve("run.txt"))))
        .containsExactly("run.txt: unsupported file extension; use .yaml, .yml or .json");
    assertThatThrownBy(() -> RunConfig.fromFile(dir.resolve("absent.yaml")))
        .isInstanceOf(OpflowException.class)
        .hasMessageStartingWith("Cannot read run config file ");
  }

  @Test
  void makesAConfigFromMaps() {
    Map<String, ?> tree =
        Map.of(
            "ops",
            Map.of("a", Map.of("config", Map.of("threshold", 3, "tags", List.of("x", "y")))),
            "resources",
            Map.of("slack", Map.of("config", Map.of("token", Map.of("env", "SLACK_TOKEN")))));

    RunConfig config = RunConfig.fromMap(tree);

    assertThat(config.opConfig("a").get("threshold").intValue()).isEqualTo(3);
    assertThat(config.resourceConfig("slack").toString())
        .isEqualTo("{\"token\":{\"env\":\"SLACK_TOKEN\"}}");
  }

  @Test
  void buildsFromRecordsMapsAndScalars() {
    RunConfig config =
        RunConfig.builder()
            .opConfig("a", Map.of("threshold", 3))
            .opConfig("b", NoConfig.INSTANCE)
            .opConfig("c", 7)
            .resourceConfig("slack", new Slack("#ops", Duration.ofSeconds(5), Optional.empty()))
            .build();

    assertThat(config.toJson())
        .isEqualTo(
            "{\"ops\":{\"a\":{\"config\":{\"threshold\":3}},\"b\":{\"config\":{}},"
                + "\"c\":{\"config\":7}},"
                + "\"resources\":{\"slack\":{\"config\":{\"channel\":\"#ops\",\"timeout\":\"PT5S\"}}}}");
  }

  @Test
  void buildsConfigThatBindsBackToTheSameRecord() {
    Slack slack = new Slack("#ops", Duration.ofMillis(1500), Optional.of("hi"));
    RunConfig config = RunConfig.builder().resourceConfig("slack", slack).build();

    Slack bound =
        ConfigBinder.bind("resources.slack.config", Slack.class, config.resourceConfig("slack"));

    assertThat(bound).isEqualTo(slack);
  }

  @Test
  void keepsEnvReferencesInJsonAndToString() {
    RunConfig config = RunConfig.fromYaml(YAML);

    assertThat(config.toJson()).contains("\"token\":{\"env\":\"SLACK_TOKEN\"}");
    assertThat(config.toString()).startsWith("RunConfig{").contains("{\"env\":\"SLACK_TOKEN\"}");
    assertThat(RunConfig.fromJson(config.toJson())).isEqualTo(config);
  }

  @Test
  void mergesDefaultsDeeply() {
    RunConfig defaults =
        RunConfig.fromYaml(
            """
            ops:
              a: {config: {threshold: 1, limits: {low: 1, high: 9}, tags: [d], mode: fast}}
              d: {config: {only: default}}
            resources:
              slack: {config: {channel: "#general", token: {env: DEFAULT_TOKEN}}}
            """);
    RunConfig run =
        RunConfig.fromYaml(
            """
            ops:
              a: {config: {threshold: 5, limits: {high: 7}, tags: [r], mode: null}}
            resources:
              slack: {config: {token: {env: RUN_TOKEN}}}
            """);

    RunConfig merged = run.withDefaults(defaults);

    assertThat(merged.opConfig("a").toString())
        .isEqualTo(
            "{\"threshold\":5,\"limits\":{\"low\":1,\"high\":7},\"tags\":[\"r\"],\"mode\":\"fast\"}");
    assertThat(merged.opConfig("d").toString()).isEqualTo("{\"only\":\"default\"}");
    assertThat(merged.resourceConfig("slack").toString())
        .isEqualTo("{\"channel\":\"#general\",\"token\":{\"env\":\"RUN_TOKEN\"}}");
    assertThat(merged.opNodes()).containsExactly("a", "d");
  }

  @Test
  void letsAScalarReplaceAnObjectAndTheOtherWayRound() {
    RunConfig defaults = RunConfig.fromYaml("ops: {a: {config: {x: {y: 1}, z: 2}}}");
    RunConfig run = RunConfig.fromYaml("ops: {a: {config: {x: 3, z: {env: Z}}}}");

    assertThat(run.withDefaults(defaults).opConfig("a").toString())
        .isEqualTo("{\"x\":3,\"z\":{\"env\":\"Z\"}}");
    assertThat(defaults.withDefaults(run).opConfig("a").toString())
        .isEqualTo("{\"x\":{\"y\":1},\"z\":2}");
  }

  @Test
  void mergingWithEmptyChangesNothing() {
    RunConfig config = RunConfig.fromYaml(YAML);

    assertThat(config.withDefaults(RunConfig.empty())).isEqualTo(config);
    assertThat(RunConfig.empty().withDefaults(config)).isEqualTo(config);
  }

  @Test
  void isImmutableThroughEveryAccessor() {
    RunConfig config = RunConfig.fromYaml(YAML);
    String before = config.toJson();

    ((ObjectNode) config.tree()).removeAll();
    ((ObjectNode) config.opConfig("a")).put("threshold", 99);
    JsonNode tree = config.tree();

    assertThat(config.toJson()).isEqualTo(before);
    assertThat(tree.path("ops").path("a").path("config").path("threshold").intValue()).isEqualTo(3);
    assertThatThrownBy(() -> config.opNodes().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void copiesWhatTheBuilderHasSoFar() {
    RunConfig.Builder builder = RunConfig.builder().opConfig("a", Map.of("x", 1));
    RunConfig first = builder.build();

    builder.opConfig("a", Map.of("x", 2));

    assertThat(first.opConfig("a").get("x").intValue()).isEqualTo(1);
  }
}
