package io.opflow.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opflow.core.config.InvalidRunConfigException;
import io.opflow.core.config.RunConfig;
import io.opflow.core.execution.ExecuteOptions;
import io.opflow.core.execution.ExecutionResult;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RunConfigJobTest {
  record Threshold(int threshold) {}

  record Token(String token) {}

  private static final OpDefinition<Threshold> CHECK =
      OpDefinition.builder("check")
          .config(Threshold.class)
          .output(Integer.class)
          .body(ctx -> ctx.config().threshold());

  private static JobDefinition job(AtomicReference<String> tokenSeen) {
    ResourceDefinition<Token, String> api =
        ResourceDefinition.builder(Token.class)
            .factory(
                ctx -> {
                  tokenSeen.set(ctx.config().token());
                  return "client";
                });
    OpDefinition<?> call =
        OpDefinition.builder("call")
            .requiredResourceKeys("api")
            .body(
                ctx -> {
                  ctx.resource("api", String.class);
                  return null;
                });
    return JobDefinition.builder("job")
        .add(CHECK.alias("b"))
        .add(call)
        .resource("api", api)
        .build();
  }

  @Test
  void everyProblemIsListedWithItsPathBeforeAnythingRuns() {
    RunConfig bad =
        RunConfig.fromYaml(
            """
            ops:
              b:
                config:
                  threshold: x
              nope:
                config: {}
            resources:
              api:
                config:
                  tokn: abc
            """);

    assertThatThrownBy(() -> job(new AtomicReference<>()).executeInProcess(bad))
        .isInstanceOf(InvalidRunConfigException.class)
        .satisfies(
            e ->
                assertThat(((InvalidRunConfigException) e).problems())
                    .extracting(Object::toString)
                    .contains(
                        "ops.b.config.threshold: expected an integer, got \"x\"",
                        "resources.api.config.tokn: unknown field; expected one of: token",
                        "resources.api.config.token: missing required field (type string)")
                    .anyMatch(p -> p.startsWith("ops.nope: job 'job' has no node 'nope'")));
  }

  @Test
  void anEnvReferenceIsResolvedOnlyWhereTheResourceIsBuilt() {
    AtomicReference<String> seen = new AtomicReference<>();
    RunConfig config =
        RunConfig.fromYaml(
            "ops: {b: {config: {threshold: 3}}}\nresources: {api: {config: {token: {env: API_TOKEN}}}}");

    ExecutionResult result =
        job(seen)
            .executeInProcess(
                config,
                ExecuteOptions.defaults().withEnvironment(Map.of("API_TOKEN", "s3cret")::get));

    assertThat(result.success()).isTrue();
    assertThat(seen.get()).isEqualTo("s3cret");
    assertThat(config.toJson()).doesNotContain("s3cret").contains("API_TOKEN");
  }

  @Test
  void aMissingEnvVariableFailsTheStepThatNeedsItAndNamesTheVariable() {
    RunConfig config =
        RunConfig.fromYaml(
            "ops: {b: {config: {threshold: 3}}}\nresources: {api: {config: {token: {env: API_TOKEN}}}}");

    ExecutionResult result =
        job(new AtomicReference<>())
            .executeInProcess(config, ExecuteOptions.defaults().withEnvironment(name -> null));

    assertThat(result.step("b").status()).isEqualTo(io.opflow.core.execution.StepStatus.SUCCEEDED);
    assertThat(result.step("call").error().summary())
        .isEqualTo(
            "io.opflow.core.config.InvalidRunConfigException: Invalid run config (1 problem):\n"
                + "  - resources.api.config.token: environment variable API_TOKEN is not set");
    assertThat(result.step("call").error().retriable()).isFalse();
  }

  @Test
  void theJobsDefaultConfigIsOverriddenByTheRunsConfig() {
    JobDefinition job =
        JobDefinition.builder("job")
            .add(CHECK)
            .defaultConfig(RunConfig.builder().opConfig("check", Map.of("threshold", 1)).build())
            .build();

    assertThat(job.executeInProcess().output("check")).isEqualTo(1);
    assertThat(
            job.executeInProcess(
                    RunConfig.fromJson("{\"ops\":{\"check\":{\"config\":{\"threshold\":9}}}}"))
                .output("check"))
        .isEqualTo(9);
  }
}
