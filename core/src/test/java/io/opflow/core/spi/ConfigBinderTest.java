package io.opflow.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.opflow.core.config.ConfigProblem;
import io.opflow.core.config.InvalidRunConfigException;
import io.opflow.core.config.NoConfig;
import io.opflow.core.internal.config.RunConfigTrees;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ConfigBinderTest {
  private static final String SECRET = "s3cr3t-value";

  enum Level {
    LOW,
    HIGH
  }

  record Slack(String token, int retries, double ratio, boolean verbose, Level level) {}

  record Timeouts(Duration connect, Optional<Duration> read) {}

  record Target(String host, int port) {}

  record Cluster(List<Target> targets, Map<String, Integer> weights, Optional<String> note) {}

  record AllOptional(Optional<String> note, Optional<Integer> limit) {}

  record Positive(int value) {
    Positive {
      if (value <= 0) {
        throw new IllegalArgumentException("value must be positive, got " + value);
      }
    }
  }

  record Loose(Map<String, Object> settings) {}

  private static JsonNode yaml(String text) {
    return RunConfigTrees.parseYaml(text, null);
  }

  private static JsonNode envRef(String name) {
    return ConfigBinder.mapper().createObjectNode().put("env", name);
  }

  private static Function<String, String> env(Map<String, String> variables) {
    return variables::get;
  }

  private static List<String> problemsOf(Runnable bind) {
    try {
      bind.run();
    } catch (InvalidRunConfigException e) {
      return e.problems().stream().map(ConfigProblem::toString).toList();
    }
    throw new AssertionError("expected an InvalidRunConfigException");
  }

  @Test
  void bindsRecordsWithScalarsAndEnums() {
    JsonNode value = yaml("{token: abc, retries: 3, ratio: 1, verbose: true, level: HIGH}");

    Slack slack = ConfigBinder.bind("resources.slack.config", Slack.class, value, env(Map.of()));

    assertThat(slack).isEqualTo(new Slack("abc", 3, 1.0, true, Level.HIGH));
  }

  @Test
  void bindsNestedRecordsListsMapsAndOptionals() {
    JsonNode value = yaml("{targets: [{host: a, port: 1}], weights: {a: 2}}");

    Cluster cluster = ConfigBinder.bind("ops.c.config", Cluster.class, value, env(Map.of()));

    assertThat(cluster)
        .isEqualTo(new Cluster(List.of(new Target("a", 1)), Map.of("a", 2), Optional.empty()));
  }

  @Test
  void bindsDurationsFromIsoTextAndMilliseconds() {
    Timeouts timeouts =
        ConfigBinder.bind("ops.t.config", Timeouts.class, yaml("{connect: PT5S, read: 250}"));

    assertThat(timeouts)
        .isEqualTo(new Timeouts(Duration.ofSeconds(5), Optional.of(Duration.ofMillis(250))));
  }

  @Test
  void bindsAnAbsentValueAsAnEmptyObject() {
    assertThat(ConfigBinder.bind("ops.a.config", AllOptional.class, null))
        .isEqualTo(new AllOptional(Optional.empty(), Optional.empty()));
  }

  @Test
  void bindsNoConfigToItsInstance() {
    assertThat(ConfigBinder.bind("ops.a.config", NoConfig.class, null)).isSameAs(NoConfig.INSTANCE);
    assertThat(ConfigBinder.bind("ops.a.config", NoConfig.class, yaml("{}")))
        .isSameAs(NoConfig.INSTANCE);
  }

  @Test
  void refusesConfigForANoConfigOp() {
    assertThat(problemsOf(() -> ConfigBinder.bind("ops.a.config", NoConfig.class, yaml("{x: 1}"))))
        .containsExactly("ops.a.config: this op takes no config; remove it");
  }

  @Test
  void resolvesEnvReferencesWithTheLookupAndCoercesThemToTheFieldType() {
    JsonNode value =
        yaml(
            "{token: {env: TOKEN}, retries: {env: RETRIES}, ratio: {env: RATIO},"
                + " verbose: {env: VERBOSE}, level: {env: LEVEL}}");
    Map<String, String> variables =
        Map.of(
            "TOKEN", SECRET, "RETRIES", "42", "RATIO", "0.25", "VERBOSE", "TRUE", "LEVEL", "LOW");

    Slack slack = ConfigBinder.bind("resources.slack.config", Slack.class, value, env(variables));

    assertThat(slack).isEqualTo(new Slack(SECRET, 42, 0.25, true, Level.LOW));
    assertThat(value.toString()).contains("{\"env\":\"TOKEN\"}").doesNotContain(SECRET);
  }

  @Test
  void resolvesEnvReferencesForDurations() {
    JsonNode value = yaml("{connect: {env: CONNECT}, read: {env: READ}}");

    Timeouts timeouts =
        ConfigBinder.bind(
            "ops.t.config", Timeouts.class, value, env(Map.of("CONNECT", "PT1S", "READ", "20")));

    assertThat(timeouts)
        .isEqualTo(new Timeouts(Duration.ofSeconds(1), Optional.of(Duration.ofMillis(20))));
  }

  @Test
  void resolvesEnvReferencesInsideFreeFormConfig() {
    JsonNode value = yaml("{settings: {url: {env: URL}, list: [{env: URL}, 1]}}");

    Loose loose = ConfigBinder.bind("ops.l.config", Loose.class, value, env(Map.of("URL", "u")));

    assertThat(loose.settings()).isEqualTo(Map.of("url", "u", "list", List.of("u", 1)));
  }

  @Test
  void reportsEveryMissingEnvironmentVariable() {
    JsonNode value =
        yaml("{token: {env: TOKEN}, retries: {env: RETRIES}, ratio: 1, verbose: true, level: LOW}");

    assertThat(
            problemsOf(
                () ->
                    ConfigBinder.bind("resources.slack.config", Slack.class, value, env(Map.of()))))
        .containsExactly(
            "resources.slack.config.token: environment variable TOKEN is not set",
            "resources.slack.config.retries: environment variable RETRIES is not set");
  }

  @Test
  void reportsCoercionFailuresWithoutTheValue() {
    JsonNode value =
        yaml(
            "{token: t, retries: {env: RETRIES}, ratio: {env: RATIO}, verbose: {env: VERBOSE},"
                + " level: {env: LEVEL}}");
    Map<String, String> variables =
        Map.of("RETRIES", SECRET, "RATIO", SECRET, "VERBOSE", SECRET, "LEVEL", SECRET);

    Runnable bind =
        () -> ConfigBinder.bind("resources.slack.config", Slack.class, value, env(variables));

    assertThat(problemsOf(bind))
        .containsExactly(
            "resources.slack.config.retries: environment variable RETRIES: expected an integer",
            "resources.slack.config.ratio: environment variable RATIO: expected a number",
            "resources.slack.config.verbose: environment variable VERBOSE: expected a boolean",
            "resources.slack.config.level: environment variable LEVEL: expected one of [LOW, HIGH]");
    assertThatThrownBy(bind::run).message().doesNotContain(SECRET);
  }

  @Test
  void refusesEnvIntegersOutOfRange() {
    JsonNode value = yaml("{host: h, port: {env: PORT}}");

    Runnable bind =
        () ->
            ConfigBinder.bind(
                "ops.t.config", Target.class, value, env(Map.of("PORT", "99999999999")));

    assertThat(problemsOf(bind))
        .containsExactly("ops.t.config.port: environment variable PORT: expected an integer");
  }

  @Test
  void reportsValidationProblemsBeforeBinding() {
    JsonNode value = yaml("{host: 1, port: x, extra: 2}");

    assertThat(problemsOf(() -> ConfigBinder.bind("ops.t.config", Target.class, value)))
        .containsExactly(
            "ops.t.config.host: expected a string, got 1",
            "ops.t.config.port: expected an integer, got \"x\"",
            "ops.t.config.extra: unknown field; expected one of: host, port");
  }

  @Test
  void reportsTheConfigTypesOwnRefusalAtItsPath() {
    assertThat(
            problemsOf(
                () -> ConfigBinder.bind("ops.p.config", Positive.class, yaml("{value: -1}"))))
        .containsExactly("ops.p.config: value must be positive, got -1");
  }

  @Test
  void hidesEnvValuesInTheConfigTypesOwnRefusal() {
    JsonNode value = yaml("{value: {env: VALUE}}");

    Runnable bind =
        () -> ConfigBinder.bind("ops.p.config", Positive.class, value, env(Map.of("VALUE", "-17")));

    assertThat(problemsOf(bind)).containsExactly("ops.p.config: value must be positive, got ***");
  }

  @Test
  void usesTheProcessEnvironmentByDefault() {
    String name = System.getenv().keySet().stream().findFirst().orElseThrow();
    record Holder(String value) {}

    JsonNode value = ConfigBinder.mapper().createObjectNode().set("value", envRef(name));

    Holder holder = ConfigBinder.bind("ops.h.config", Holder.class, value);

    assertThat(holder.value()).isEqualTo(System.getenv(name));
  }

  @Test
  void sharesAMapperThatWritesDurationsAsIsoTextAndOmitsEmptyOptionals() throws Exception {
    String json =
        ConfigBinder.mapper()
            .writeValueAsString(new Timeouts(Duration.ofSeconds(2), Optional.empty()));

    assertThat(json).isEqualTo("{\"connect\":\"PT2S\"}");
  }
}
