package io.opflow.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.RetryPolicy;
import io.opflow.events.HookKind;
import io.opflow.protocol.InputBinding;
import io.opflow.protocol.JobSnapshot;
import io.opflow.protocol.NodeSnapshot;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobSnapshotsTest {
  private static final HookDefinition ON_SUCCESS =
      HookDefinition.successHook("on_success").handler(ctx -> {});
  private static final HookDefinition ON_FAILURE =
      HookDefinition.failureHook("on_failure").handler(ctx -> {});

  private static final OpDefinition<?> SOURCE =
      OpDefinition.builder("source")
          .output(Integer.class)
          .retryPolicy(
              RetryPolicy.builder()
                  .maxRetries(2)
                  .delay(Duration.ofMillis(300))
                  .backoffMultiplier(2.0)
                  .retryOnTypeNames("java.io.IOException")
                  .build())
          .tag("team", "data")
          .body(ctx -> 1);

  private static final OpDefinition<?> SINK =
      OpDefinition.builder("sink").input("num", Integer.class).body(ctx -> null);

  @Test
  void snapshotKeepsNodesBindingsHooksAndRetryPolicies() {
    JobDefinition job =
        JobDefinition.builder("job")
            .add(SOURCE.node())
            .add(SINK.alias("sink_1").input("num", "source").withHooks(ON_FAILURE))
            .hooks(ON_SUCCESS)
            .build();

    JobSnapshot snapshot = JobSnapshots.of(job, "v7");

    assertThat(snapshot.getJobName()).isEqualTo("job");
    assertThat(snapshot.getCodeVersion()).isEqualTo("v7");
    assertThat(snapshot.getNodes())
        .extracting(NodeSnapshot::getStepKey)
        .containsExactly("source", "sink_1");
    NodeSnapshot source = snapshot.getNodes().get(0);
    assertThat(source.getRetryPolicy().getMaxRetries()).isEqualTo(2);
    assertThat(source.getRetryPolicy().getDelayMillis()).isEqualTo(300);
    assertThat(source.getRetryPolicy().getBackoffMultiplier()).isEqualTo(2.0);
    assertThat(source.getRetryPolicy().getRetryOn()).containsExactly("java.io.IOException");
    assertThat(source.getTags()).containsEntry("team", "data");
    NodeSnapshot sink = snapshot.getNodes().get(1);
    assertThat(sink.getOpName()).isEqualTo("sink");
    assertThat(sink.getUpstream()).containsExactly(new InputBinding("num", "source", "result"));
    assertThat(sink.getHooks())
        .extracting(h -> h.getName() + ":" + h.getKind())
        .containsExactlyElementsOf(
            job.hooksFor("sink_1").stream()
                .map(h -> h.name() + ":" + HookKind.valueOf(h.kind().name()))
                .toList());
    assertThat(sink.getHooks()).hasSize(2);
  }
}
