package io.opflow.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opflow.core.HookDefinition;
import io.opflow.core.OpDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestContextsTest {
  record Settings(String channel) {}

  @Test
  void aHookContextMaySetEveryFieldIncludingStepKeyConfigAndOutputs() throws Exception {
    List<String> seen = new ArrayList<>();
    HookDefinition hook =
        HookDefinition.failureHook("report")
            .requiredResourceKeys("sink")
            .handler(
                ctx -> {
                  @SuppressWarnings("unchecked")
                  List<String> sink = ctx.resource("sink", List.class);
                  sink.add(
                      ctx.jobName()
                          + "|"
                          + ctx.runId()
                          + "|"
                          + ctx.stepKey()
                          + "|"
                          + ctx.attempt()
                          + "|"
                          + ctx.opConfig(Settings.class).channel()
                          + "|"
                          + ctx.opOutputValues()
                          + "|"
                          + ctx.opException().orElseThrow().getMessage()
                          + "|"
                          + ctx.idempotencyKey());
                });

    TestContexts.hookContext()
        .jobName("etl")
        .runId("r1")
        .stepKey("load")
        .attempt(2)
        .opConfig(new Settings("#data"))
        .outputValue("rows", 3)
        .opException(new IllegalStateException("disk full"))
        .resource("sink", seen)
        .invoke(hook);

    assertThat(seen).containsExactly("etl|r1|load|2|#data|{rows=3}|disk full|r1/load/2/report");
  }

  @Test
  void aMissingTestResourceSaysHowToAddIt() {
    HookDefinition hook =
        HookDefinition.successHook("h")
            .requiredResourceKeys("slack")
            .handler(ctx -> ctx.resource("slack", Object.class));

    assertThatThrownBy(() -> TestContexts.hookContext().invoke(hook))
        .hasMessage(
            "the test context has no resource 'slack'; add it with .resource(\"slack\", value)");
  }

  @Test
  void anOpIsInvokedWithInputsConfigAndResourcesAndReturnsItsOutputs() throws Exception {
    OpDefinition<Settings> op =
        OpDefinition.builder("op")
            .config(Settings.class)
            .input("n", Integer.class)
            .output("doubled", Integer.class)
            .output("label", String.class)
            .requiredResourceKeys("prefix")
            .body(
                ctx -> {
                  ctx.output("doubled", ctx.input("n", Integer.class) * 2);
                  ctx.output(
                      "label", ctx.resource("prefix", String.class) + ctx.config().channel());
                  return null;
                });

    Map<String, Object> outputs =
        TestContexts.opContext()
            .config(new Settings("#x"))
            .input("n", 21)
            .resource("prefix", "to ")
            .invoke(op);

    assertThat(outputs).containsExactlyInAnyOrderEntriesOf(Map.of("doubled", 42, "label", "to #x"));
  }
}
