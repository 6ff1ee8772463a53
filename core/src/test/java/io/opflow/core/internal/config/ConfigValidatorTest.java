package io.opflow.core.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opflow.core.config.ConfigProblem;
import io.opflow.core.config.NoConfig;
import io.opflow.core.config.RunConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigValidatorTest {
  enum Level {
    LOW,
    HIGH
  }

  record Scalars(
      String name,
      int count,
      long total,
      short small,
      double ratio,
      float weight,
      boolean enabled,
      Integer boxed,
      Level level,
      Duration timeout) {}

  record Threshold(int threshold) {}

  record Target(String host, int port) {}

  record Nested(Target target, List<Target> backups) {}

  record Collections(List<Integer> items, Set<String> names, Map<String, Integer> tags) {}

  record Optionals(Optional<String> note, Optional<Integer> limit, Optional<Target> target) {}

  record Anything(Object payload, JsonNode raw, Map<String, Object> extra) {}

  private static JsonNode yaml(String text) {
    return RunConfigTrees.parseYaml(text, null);
  }

  private static List<String> problems(Class<?> type, String yamlValue) {
    return ConfigValidator.validate("ops.b.config", type, yaml(yamlValue)).stream()
        .map(ConfigProblem::toString)
        .toList();
  }

  @Test
  void acceptsAValueThatFitsEveryScalarType() {
    String value =
        "{name: a, count: 1, total: 10000000000, small: 2, ratio: 0.5, weight: 3,"
            + " enabled: true, boxed: 4, level: HIGH, timeout: PT5S}";

    assertThat(problems(Scalars.class, value)).isEmpty();
  }

  @Test
  void reportsAWrongTypeWithTheValueQuotedAsJson() {
    assertThat(problems(Threshold.class, "{threshold: x}"))
        .containsExactly("ops.b.config.threshold: expected an integer, got \"x\"");
  }

  @Test
  void isStrictAboutNumbersWrittenAsStrings() {
    assertThat(problems(Threshold.class, "{threshold: \"42\"}"))
        .containsExactly("ops.b.config.threshold: expected an integer, got \"42\"");
  }

  @Test
  void refusesFractionsForIntegers() {
    assertThat(problems(Threshold.class, "{threshold: 1.5}"))
        .containsExactly("ops.b.config.threshold: expected an integer, got 1.5");
  }

  @Test
  void refusesIntegersOutOfRange() {
    assertThat(problems(Threshold.class, "{threshold: 3000000000}"))
        .containsExactly(
            "ops.b.config.threshold: expected an integer between -2147483648 and 2147483647,"
                + " got 3000000000");
  }

  @Test
  void namesObjectsAndListsInsteadOfPrintingThem() {
    assertThat(problems(Target.class, "{host: {a: 1}, port: [1, 2]}"))
        .containsExactly(
            "ops.b.config.host: expected a string, got an object",
            "ops.b.config.port: expected an integer, got a list");
  }

  @Test
  void acceptsIntegersWhereNumbersAreExpected() {
    String value =
        "{name: a, count: 1, total: 1, small: 1, ratio: 2, weight: 2, enabled: false,"
            + " boxed: 1, level: LOW, timeout: 5000}";

    assertThat(problems(Scalars.class, value)).isEmpty();
  }

  @Test
  void reportsEveryScalarMismatchInDocumentOrder() {
    String value =
        "{name: 1, count: true, total: x, small: 40000, ratio: \"0.5\", weight: no_number,"
            + " enabled: \"true\", boxed: 1.5, level: MEDIUM, timeout: 5 seconds}";

    assertThat(problems(Scalars.class, value))
        .containsExactly(
            "ops.b.config.name: expected a string, got 1",
            "ops.b.config.count: expected an integer, got true",
            "ops.b.config.total: expected an integer, got \"x\"",
            "ops.b.config.small: expected an integer between -32768 and 32767, got 40000",
            "ops.b.config.ratio: expected a number, got \"0.5\"",
            "ops.b.config.weight: expected a number, got \"no_number\"",
            "ops.b.config.enabled: expected a boolean, got \"true\"",
            "ops.b.config.boxed: expected an integer, got 1.5",
            "ops.b.config.level: expected one of [LOW, HIGH], got \"MEDIUM\"",
            "ops.b.config.timeout: expected a duration (ISO-8601 such as \"PT5S\", or an integer"
                + " of milliseconds), got \"5 seconds\"");
  }

  @Test
  void reportsMissingRequiredFieldsWithTheirTypes() {
    assertThat(problems(Scalars.class, "{}"))
        .containsExactly(
            "ops.b.config.name: missing required field (type string)",
            "ops.b.config.count: missing required field (type integer)",
            "ops.b.config.total: missing required field (type integer)",
            "ops.b.config.small: missing required field (type integer)",
            "ops.b.config.ratio: missing required field (type number)",
            "ops.b.config.weight: missing required field (type number)",
            "ops.b.config.enabled: missing required field (type boolean)",
            "ops.b.config.boxed: missing required field (type integer)",
            "ops.b.config.level: missing required field (type one of [LOW, HIGH])",
            "ops.b.config.timeout: missing required field (type duration)");
  }

  @Test
  void treatsYamlNullAsMissing() {
    assertThat(problems(Threshold.class, "{threshold: null}"))
        .containsExactly("ops.b.config.threshold: missing required field (type integer)");
  }

  @Test
  void treatsAnAbsentValueAsAnEmptyObject() {
    assertThat(ConfigValidator.validate("ops.b.config", Threshold.class, null))
        .extracting(ConfigProblem::toString)
        .containsExactly("ops.b.config.threshold: missing required field (type integer)");
    assertThat(ConfigValidator.validate("ops.b.config", Optionals.class, null)).isEmpty();
  }

  @Test
  void reportsUnknownFieldsWithTheExpectedOnes() {
    assertThat(problems(Target.class, "{host: h, port: 1, zzz: 3}"))
        .containsExactly("ops.b.config.zzz: unknown field; expected one of: host, port");
  }

  @Test
  void reportsUnknownAndMissingFieldsTogether() {
    assertThat(problems(Target.class, "{hots: h, port: x}"))
        .containsExactly(
            "ops.b.config.hots: unknown field; expected one of: host, port",
            "ops.b.config.port: expected an integer, got \"x\"",
            "ops.b.config.host: missing required field (type string)");
  }

  @Test
  void walksNestedRecordsAndListsOfRecords() {
    String value = "{target: {host: 1}, backups: [{host: a, port: 1}, {host: b, port: x}, 3]}";

    assertThat(problems(Nested.class, value))
        .containsExactly(
            "ops.b.config.target.host: expected a string, got 1",
            "ops.b.config.target.port: missing required field (type integer)",
            "ops.b.config.backups[1].port: expected an integer, got \"x\"",
            "ops.b.config.backups[2]: expected an object, got 3");
  }

  @Test
  void walksListsSetsAndMaps() {
    String value = "{items: [1, two, 3, null], names: [a, 1], tags: {a: 1, key: x}}";

    assertThat(problems(Collections.class, value))
        .containsExactly(
            "ops.b.config.items[1]: expected an integer, got \"two\"",
            "ops.b.config.items[3]: expected an integer, got null",
            "ops.b.config.names[1]: expected a string, got 1",
            "ops.b.config.tags.key: expected an integer, got \"x\"");
  }

  @Test
  void refusesAScalarWhereAListOrMapIsExpected() {
    assertThat(problems(Collections.class, "{items: 1, names: {a: 1}, tags: [1]}"))
        .containsExactly(
            "ops.b.config.items: expected a list, got 1",
            "ops.b.config.names: expected a list, got an object",
            "ops.b.config.tags: expected an object, got a list");
  }

  @Test
  void letsOptionalFieldsBeAbsentOrNullButChecksThemWhenPresent() {
    assertThat(problems(Optionals.class, "{}")).isEmpty();
    assertThat(problems(Optionals.class, "{note: null, limit: 3}")).isEmpty();
    assertThat(problems(Optionals.class, "{note: 1, limit: x, target: {host: h}}"))
        .containsExactly(
            "ops.b.config.note: expected a string, got 1",
            "ops.b.config.limit: expected an integer, got \"x\"",
            "ops.b.config.target.port: missing required field (type integer)");
  }

  @Test
  void acceptsDurationsAsIsoTextOrMilliseconds() {
    record Timeout(Duration timeout) {}

    assertThat(problems(Timeout.class, "{timeout: PT1M30S}")).isEmpty();
    assertThat(problems(Timeout.class, "{timeout: 1500}")).isEmpty();
    assertThat(problems(Timeout.class, "{timeout: 1.5}"))
        .containsExactly(
            "ops.b.config.timeout: expected a duration (ISO-8601 such as \"PT5S\", or an integer"
                + " of milliseconds), got 1.5");
  }

  @Test
  void acceptsAnythingForObjectJsonNodeAndMapOfObject() {
    String value = "{payload: [1, {a: b}], raw: {x: {env: X}}, extra: {a: [1], b: null}}";

    assertThat(problems(Anything.class, value)).isEmpty();
    assertThat(problems(JsonNode.class, "[1, 2]")).isEmpty();
  }

  @Test
  void acceptsEnvReferencesWhereverAScalarIsExpectedWithoutResolvingThem() {
    String value =
        "{name: {env: A}, count: {env: B}, total: {env: C}, small: {env: D}, ratio: {env: E},"
            + " weight: {env: F}, enabled: {env: G}, boxed: {env: H}, level: {env: I},"
            + " timeout: {env: J}}";

    assertThat(problems(Scalars.class, value)).isEmpty();
  }

  @Test
  void refusesEnvReferencesWhereAnObjectOrListIsExpected() {
    assertThat(problems(Nested.class, "{target: {env: T}, backups: {env: B}}"))
        .containsExactly(
            "ops.b.config.target: expected an object, got an {env: T} reference; only scalar"
                + " values may come from the environment",
            "ops.b.config.backups: expected a list, got an {env: B} reference; only scalar"
                + " values may come from the environment");
  }

  @Test
  void treatsObjectsThatOnlyLookLikeEnvReferencesAsObjects() {
    assertThat(problems(Threshold.class, "{threshold: {env: 1}}"))
        .containsExactly("ops.b.config.threshold: expected an integer, got an object");
  }

  @Test
  void acceptsNoConfigWhenAbsentNullOrEmpty() {
    assertThat(ConfigValidator.validate("ops.b.config", NoConfig.class, null)).isEmpty();
    assertThat(problems(NoConfig.class, "null")).isEmpty();
    assertThat(problems(NoConfig.class, "{}")).isEmpty();
  }

  @Test
  void refusesConfigForAnOpThatTakesNone() {
    assertThat(problems(NoConfig.class, "{a: 1}"))
        .containsExactly("ops.b.config: this op takes no config; remove it");
    assertThat(
            ConfigValidator.validate("resources.db.config", NoConfig.class, yaml("3")).stream()
                .map(ConfigProblem::toString))
        .containsExactly("resources.db.config: this resource takes no config; remove it");
  }

  @Test
  void refusesANonObjectWhereARecordIsExpected() {
    assertThat(problems(Target.class, "[1]"))
        .containsExactly("ops.b.config: expected an object, got a list");
  }

  @Test
  void reportsUnsupportedConfigTypesAsProblems() {
    record Odd(StringBuilder text) {}

    assertThat(problems(Odd.class, "{text: a}"))
        .containsExactly(
            "ops.b.config.text: unsupported config type java.lang.StringBuilder; use a record");
  }

  @Test
  void validatesTheConfigsOfARunConfig() {
    RunConfig config =
        RunConfig.fromYaml(
            """
            ops:
              b:
                config:
                  threshold: x
            """);

    assertThat(ConfigValidator.validate("ops.b.config", Threshold.class, config.opConfig("b")))
        .containsExactly(
            new ConfigProblem("ops.b.config.threshold", "expected an integer, got \"x\""));
  }
}
