package io.opflow.examples.slack;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.ResourceDefinition;
import io.opflow.core.config.RunConfig;
import io.opflow.core.execution.ExecuteOptions;
import io.opflow.core.execution.ExecutionResult;
import io.opflow.core.execution.HookOutcome;
import io.opflow.core.testing.TestContexts;
import io.opflow.examples.slack.ExampleJobs.AConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every scenario of the op-hooks seed, in Java. */
@Timeout(30)
class SeedExamplesTest {
  private static final RunConfig FAIL_A =
      RunConfig.fromYaml("ops:\n  a:\n    config:\n      fail: true\n");

  @Test
  void aHookOnEveryOpOfAJobPostsForEachOp() throws Exception {
    try (FakeWebhook slack = new FakeWebhook()) {
      RunConfig config =
          RunConfig.fromYaml(
              "resources:\n  slack:\n    config:\n      webhookUrl: {env: SLACK_WEBHOOK_URL}\n");

      ExecutionResult result =
          ExampleJobs.notifAll()
              .executeInProcess(
                  config,
                  ExecuteOptions.defaults()
                      .withEnvironment(Map.of("SLACK_WEBHOOK_URL", slack.url())::get));

      assertThat(result.success()).isTrue();
      assertThat(slack.bodies)
          .containsExactly(
              "{\"channel\":\"#dev\",\"text\":\"op a completed successfully\"}",
              "{\"channel\":\"#dev\",\"text\":\"op b completed successfully\"}");
    }
  }

  @Test
  void theConfiguredApiFixesTheResourceConfigInCode() throws Exception {
    try (FakeWebhook slack = new FakeWebhook()) {
      ExecutionResult result = ExampleJobs.notifAllConfigured(slack.url()).executeInProcess(FAIL_A);

      assertThat(result.success()).isFalse();
      assertThat(slack.bodies)
          .containsExactly(
              "{\"channel\":\"#dev\",\"text\":\"op a failed: a was asked to fail (ops.a.config.fail: true)\"}");
    }
  }

  @Test
  void aHookOnOneOpInstanceFiresForThatOpOnly() {
    RecordingSlack slack = new RecordingSlack();
    JobDefinition job =
        JobDefinition.builder("selective_notif")
            .add(ExampleJobs.A.withHooks(SlackHooks.SLACK_MESSAGE_ON_SUCCESS))
            .add(ExampleJobs.B.input("num", "a"))
            .resource("slack", ResourceDefinition.hardcoded(slack))
            .build();

    ExecutionResult result = job.executeInProcess();

    assertThat(slack.messages).containsExactly("#dev op a completed successfully");
    assertThat(result.hooksFor("b")).isEmpty();
  }

  @Test
  void aGraphBecomesAProductionAndATestJobWithDifferentHooksAndResources() {
    RecordingSlack mock = new RecordingSlack();
    JobDefinition test =
        ExampleJobs.SLACK_NOTIF_GRAPH.toJob(
            "notif_all_test",
            List.of(SlackHooks.SLACK_MESSAGE_ON_FAILURE),
            Map.of("slack", ResourceDefinition.hardcoded(mock)));
    JobDefinition prod = ExampleJobs.notifAllProd();

    ExecutionResult result = test.executeInProcess(FAIL_A);

    assertThat(result.step("b").status().name()).isEqualTo("SKIPPED");
    assertThat(mock.messages)
        .containsExactly("#dev op a failed: a was asked to fail (ops.a.config.fail: true)");
    assertThat(prod.resources().get("slack")).isSameAs(SlackResources.WEBHOOK);
    assertThat(prod.hooks()).hasSize(2);
  }

  @Test
  void aHookIsTestedByInvokingItWithAContextBuiltOutsideExecution() throws Exception {
    RecordingSlack slack = new RecordingSlack();

    TestContexts.hookContext()
        .op(ExampleJobs.A)
        .stepKey("a")
        .resource("slack", slack)
        .invoke(SlackHooks.SLACK_MESSAGE_ON_SUCCESS);

    assertThat(slack.messages).containsExactly("#dev op a completed successfully");
  }

  @Test
  void everyFieldOfAHookContextMayBeSetOutsideExecution() throws Exception {
    RecordingSlack recordingSlack = new RecordingSlack();

    TestContexts.hookContext()
        .op(ExampleJobs.A)
        .stepKey("a")
        .opConfig(new AConfig(Optional.of(true)))
        .outputValue("rows", 3)
        .opException(new IllegalStateException("disk full"))
        .resource("slack", recordingSlack)
        .invoke(SlackHooks.SLACK_MESSAGE_ON_FAILURE);

    assertThat(recordingSlack.messages).containsExactly("#dev op a failed: disk full");
  }

  @Test
  void aFailureHookReadsTheOpsException() {
    StringBuilder seen = new StringBuilder();
    HookDefinition reportException =
        HookDefinition.failureHook("report_exception")
            .handler(
                ctx -> {
                  Throwable error = ctx.opException().orElseThrow();
                  seen.append(error.getClass().getSimpleName())
                      .append(": ")
                      .append(error.getMessage());
                });
    JobDefinition job =
        ExampleJobs.SLACK_NOTIF_GRAPH.toJob("with_exception", List.of(reportException), Map.of());

    ExecutionResult result = job.executeInProcess(FAIL_A);

    assertThat(seen)
        .hasToString("IllegalStateException: a was asked to fail (ops.a.config.fail: true)");
    assertThat(result.hooksFor("a"))
        .extracting(h -> h.outcome())
        .containsExactly(HookOutcome.COMPLETED);
  }

  @Test
  void theExampleCodeLocationIsFoundByTheServiceLoader() {
    assertThat(io.opflow.core.Definitions.load().jobs())
        .containsKeys(ExampleDefinitions.DEV_JOB, "notif_all", "selective_notif", "notif_all_prod");
  }

  @Test
  void aBadRunConfigSaysWhatIsWrongAndWhere() {
    RunConfig bad =
        RunConfig.fromYaml("ops:\n  a:\n    config:\n      fail: maybe\nresources:\n  slack: {}\n");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExampleJobs.notifAll().validate(bad))
        .hasMessageContaining("ops.a.config.fail: expected a boolean, got \"maybe\"")
        .hasMessageContaining(
            "resources.slack.config.webhookUrl: missing required field (type string)");
  }
}
