package io.opflow.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.core.config.RunConfig;
import io.opflow.core.execution.ExecuteOptions;
import io.opflow.core.execution.ExecutionResult;
import io.opflow.core.execution.HookResult;
import io.opflow.core.spi.SecretValues;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A value resolved from an {@code {env: NAME}} reference never leaves through an error: not in the
 * step's error, its cause, a hook's error, nor a resource factory's.
 */
class SecretRedactionTest {
  record Token(String token) {}

  // Unique per test, with characters a URL encodes: the encoded form must be masked too.
  private final String secret = "tok en/" + UUID.randomUUID();

  @AfterEach
  void forget() {
    SecretValues.clear();
  }

  @Test
  void anOpThatThrowsItsSecretFailsWithTheSecretMaskedInMessageAndCause() {
    OpDefinition<Token> call =
        OpDefinition.builder("call")
            .config(Token.class)
            .body(
                ctx -> {
                  String url = "https://api.test/v1?token=" + encoded(ctx.config().token());
                  throw new IllegalStateException(
                      "401 from " + url, new IOException("bad token " + ctx.config().token()));
                });

    ExecutionResult result =
        run(
            JobDefinition.builder("job").add(call).build(),
            "ops: {call: {config: {token: {env: TOKEN}}}}");

    ErrorInfo error = result.step("call").error();
    assertThat(error.message())
        .isEqualTo("401 from https://api.test/v1?token=" + SecretValues.MASK)
        .doesNotContain(secret);
    assertThat(error.cause().message()).isEqualTo("bad token " + SecretValues.MASK);
  }

  @Test
  void aResourceFactoryThatThrowsItsSecretFailsTheStepWithTheSecretMasked() {
    ResourceDefinition<Token, String> api =
        ResourceDefinition.builder(Token.class)
            .factory(
                ctx -> {
                  throw new IllegalArgumentException("cannot log in with " + ctx.config().token());
                });
    OpDefinition<?> call =
        OpDefinition.builder("call")
            .requiredResourceKeys("api")
            .body(ctx -> ctx.resource("api", String.class));

    ExecutionResult result =
        run(
            JobDefinition.builder("job").add(call).resource("api", api).build(),
            "resources: {api: {config: {token: {env: TOKEN}}}}");

    assertThat(result.step("call").error().summary())
        .contains(SecretValues.MASK)
        .doesNotContain(secret);
  }

  @Test
  void aHookThatThrowsTheSecretIsErroredWithTheSecretMasked() {
    OpDefinition<Token> call = OpDefinition.builder("call").config(Token.class).body(ctx -> null);
    HookDefinition leaky =
        HookDefinition.successHook("leaky")
            .handler(
                ctx -> {
                  throw new IllegalStateException(
                      "webhook refused " + ctx.opConfig(Token.class).token());
                });

    ExecutionResult result =
        run(
            JobDefinition.builder("job").add(call).hooks(leaky).build(),
            "ops: {call: {config: {token: {env: TOKEN}}}}");

    HookResult hook = result.hooksFor("call").get(0);
    assertThat(hook.failure().orElseThrow().message())
        .isEqualTo("webhook refused " + SecretValues.MASK);
  }

  @Test
  void shortValuesAreNotMaskedSoOrdinaryWordsSurvive() {
    SecretValues.register("on");
    SecretValues.register("s3cr3t-value");

    assertThat(SecretValues.redact("turned on with s3cr3t-value"))
        .isEqualTo("turned on with " + SecretValues.MASK);
  }

  private ExecutionResult run(JobDefinition job, String yaml) {
    return job.executeInProcess(
        RunConfig.fromYaml(yaml),
        ExecuteOptions.defaults().withEnvironment(Map.of("TOKEN", secret)::get));
  }

  private static String encoded(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }
}
