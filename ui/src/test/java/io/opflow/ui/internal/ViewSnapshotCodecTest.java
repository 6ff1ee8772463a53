package io.opflow.ui.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opflow.ui.internal.RunView.AttemptView;
import io.opflow.ui.internal.RunView.EventLine;
import io.opflow.ui.internal.RunView.HookView;
import io.opflow.ui.internal.RunView.StepView;
import io.opflow.ui.internal.ViewSnapshotCodec.AttemptJson;
import io.opflow.ui.internal.ViewSnapshotCodec.RunJson;
import io.opflow.ui.internal.ViewSnapshotCodec.Snapshot;
import io.opflow.ui.internal.ViewSnapshotCodec.StepJson;
import io.opflow.ui.internal.ViewSnapshotCodec.TopicOffsets;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The view's snapshot: everything a run holds comes back, and a foreign file is refused. */
class ViewSnapshotCodecTest {
  private static final List<TopicOffsets> TOPICS =
      List.of(new TopicOffsets("opflow.run-events", "id-1", Map.of(0, 12L, 1, 7L)));

  @Test
  void aRunComesBackWithEveryStepAttemptHookAndEvent() throws IOException {
    RunView run = fullRun("run-1");

    Snapshot back = roundTrip(List.of(run), Map.of("worker-1", 42L));

    assertThat(back.runs()).hasSize(1);
    assertThat(RunJson.of(back.runs().get(0))).isEqualTo(RunJson.of(run));
    assertThat(back.topics()).isEqualTo(TOPICS);
    assertThat(back.workersSeen()).containsEntry("worker-1", 42L);
    assertThat(back.writtenAt()).isEqualTo(Instant.parse("2026-12-02T10:00:00Z"));
  }

  @Test
  void everyFieldOfTheViewIsInTheSnapshot() {
    // A field added to the view must be added to the snapshot (and VERSION bumped), or a restart
    // would lose it.
    assertThat(components(RunJson.class)).isEqualTo(fields(RunView.class));
    assertThat(components(StepJson.class)).isEqualTo(fields(StepView.class));
    assertThat(components(AttemptJson.class)).isEqualTo(fields(AttemptView.class));
  }

  @Test
  void aSnapshotOfAnotherVersionIsRefused() {
    int other = ViewSnapshotCodec.VERSION + 1;
    String json =
        "{\"format\":\"opflow-ui-view\",\"version\":"
            + other
            + ",\"writtenAt\":\"2026-12-02T10:00:00Z\"}";

    assertThatThrownBy(() -> read(json))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(
            "version " + other + "; this UI reads version " + ViewSnapshotCodec.VERSION);
  }

  @Test
  void aFileThatIsNotASnapshotOrIsCutShortIsRefused() throws IOException {
    assertThatThrownBy(() -> read("{\"format\":\"other\",\"version\":1}"))
        .hasMessageContaining("not an Opflow UI snapshot");
    assertThatThrownBy(
            () ->
                read(
                    "{\"format\":\"opflow-ui-view\",\"version\":"
                        + ViewSnapshotCodec.VERSION
                        + ",\"runs\":[]}"))
        .hasMessageContaining("incomplete");
    String whole = write(List.of(fullRun("run-1")), Map.of());
    assertThatThrownBy(() -> read(whole.substring(0, whole.length() / 2)))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> read(whole + "{}")).hasMessageContaining("follows the snapshot");
  }

  private static RunView fullRun(String runId) {
    RunView run = new RunView(runId);
    run.jobName = "failing";
    run.status = "FAILED";
    run.startedAt = 1000;
    run.endedAt = 2000;
    run.message = "step explode failed";
    run.inputs.put("explode", List.of(new RunView.InputView("n", "prepare", "result")));
    run.parentRunId = "parent-1";
    run.upstream.put("explode", List.of("prepare"));
    run.configs.put("explode", "{\"name\":{\"env\":\"SECRET\"}}");
    run.log(new EventLine(1000, "run", "", 0, "RunStarted", ""));
    run.log(new EventLine(1500, "step", "explode", 1, "StepFailed", "boom <b>"));
    StepView step = run.step("explode");
    step.opName = "explode";
    step.status = "FAILED";
    AttemptView attempt = step.attempt(1);
    attempt.worker = "worker-1";
    attempt.startedAt = 1100;
    attempt.endedAt = 1500;
    attempt.status = "FAILED";
    attempt.errorType = "java.lang.IllegalStateException";
    attempt.errorMessage = "boom <b>";
    attempt.stackTrace = "java.lang.IllegalStateException: boom\n    at X.y(X.java:1)\n";
    attempt.outputs.put("partial", "[1,2]");
    step.hooks.add(
        new HookView("explode", "page_on_call", "FAILURE", 1, "ERRORED", "timeout", "k-1"));
    run.step("prepare").attempt(1).status = "SUCCEEDED";
    return run;
  }

  private static Snapshot roundTrip(List<RunView> runs, Map<String, Long> workers)
      throws IOException {
    return read(write(runs, workers));
  }

  private static String write(List<RunView> runs, Map<String, Long> workers) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ViewSnapshotCodec.write(out, Instant.parse("2026-12-02T10:00:00Z"), TOPICS, runs, workers);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static Snapshot read(String json) throws IOException {
    return ViewSnapshotCodec.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static Set<String> components(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents())
        .map(RecordComponent::getName)
        .collect(Collectors.toSet());
  }

  private static Set<String> fields(Class<?> type) {
    return Arrays.stream(type.getDeclaredFields())
        .filter(f -> !Modifier.isStatic(f.getModifiers()) && !f.isSynthetic())
        .map(Field::getName)
        .collect(Collectors.toSet());
  }
}
