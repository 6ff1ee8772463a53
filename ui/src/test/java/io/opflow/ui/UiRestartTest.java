package io.opflow.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opflow.core.config.RunConfig;
import io.opflow.schemas.OpflowTopics;
import io.opflow.testkit.cluster.OpflowCluster;
import io.opflow.ui.UiViewStatus.Start;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A UI with a state directory, stopped and started again against a real cluster: it restores its
 * view from its snapshot and reads only what is new, and reads everything again when the snapshot
 * cannot be trusted.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class UiRestartTest {
  @RegisterExtension
  static final OpflowCluster cluster = OpflowCluster.builder().definitions(UiJobs.DEFS).build();

  private static final HttpClient http = HttpClient.newHttpClient();
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path stateDir;

  @Test
  void aRestartedUiShowsItsOldRunsFromTheSnapshotEvenOnceTheirRecordsAreGone() throws Exception {
    String before = succeededRun("before-restart");
    UiServer ui = startUi();
    awaitPage(ui, before, "hello before-restart");
    await().atMost(WAIT).until(() -> get(ui, "/?status=SUCCEEDED").body().contains(before));
    assertThat(ui.viewStatus().start()).isEqualTo(Start.FULL_READ);
    ui.close();

    // Only the snapshot can show `before` now: every record it was built from is deleted.
    Map<TopicPartition, Long> snapshotOffsets = snapshotOffsets();
    deleteRecordsBefore(snapshotOffsets);
    String during = succeededRun("while-down");

    UiServer restarted = startUi();
    try {
      await().atMost(WAIT).until(() -> restarted.viewStatus().start() != Start.STARTING);
      UiViewStatus status = restarted.viewStatus();
      assertThat(status.start()).as(status.reason()).isEqualTo(Start.RESTORED);
      assertThat(status.restoredRuns()).isGreaterThanOrEqualTo(1);
      assertThat(get(restarted, "/runs/" + before).body()).contains("hello before-restart");
      assertThat(get(restarted, "/?status=SUCCEEDED").body()).contains(before);
      awaitPage(restarted, during, "hello while-down");
      long read = restarted.viewStatus().recordsRead();
      // What lies past the snapshot's offsets; transaction markers take offsets but are never
      // returned, hence at most.
      assertThat(read).isPositive().isLessThanOrEqualTo(recordsAfter(snapshotOffsets));
    } finally {
      restarted.close();
    }
  }

  @Test
  void aDamagedSnapshotMakesTheUiReadEverythingAgainAndWriteANewOne() throws Exception {
    String run = succeededRun("damaged");
    UiServer ui = startUi();
    awaitPage(ui, run, "hello damaged");
    ui.close();
    Path snapshot = stateDir.resolve("ui-view.json.gz");
    byte[] bytes = Files.readAllBytes(snapshot);
    for (int i = bytes.length / 3; i < bytes.length / 3 + 16 && i < bytes.length; i++) {
      bytes[i] ^= (byte) 0x5a;
    }
    Files.write(snapshot, bytes);

    UiServer restarted = startUi();
    try {
      await().atMost(WAIT).until(() -> restarted.viewStatus().start() != Start.STARTING);
      assertThat(restarted.viewStatus().start()).isEqualTo(Start.FULL_READ);
      assertThat(restarted.viewStatus().reason()).contains("unreadable");
      awaitPage(restarted, run, "hello damaged");
      await().atMost(WAIT).until(() -> restarted.viewStatus().checkpointsWritten() >= 1);
    } finally {
      restarted.close();
    }
    assertThat(snapshotOffsets()).isNotEmpty();
  }

  @Test
  void aSnapshotThatRetentionPassedMakesTheUiReadEverythingAgain() throws Exception {
    String run = succeededRun("retention");
    UiServer ui = startUi();
    awaitPage(ui, run, "hello retention");
    ui.close();
    succeededRun("gone-before-seen");
    deleteRecordsBefore(endOffsets());

    UiServer restarted = startUi();
    try {
      await().atMost(WAIT).until(() -> restarted.viewStatus().start() != Start.STARTING);
      assertThat(restarted.viewStatus().start()).isEqualTo(Start.FULL_READ);
      assertThat(restarted.viewStatus().reason()).contains("retention passed it");
      assertThat(restarted.viewStatus().restoredRuns()).isZero();
    } finally {
      restarted.close();
    }
  }

  @Test
  void twoUisCannotShareAStateDirectory() throws Exception {
    UiServer ui = startUi();
    try {
      assertThatThrownBy(this::startUi)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another UI uses the state directory");
    } finally {
      ui.close();
    }
  }

  private UiServer startUi() {
    return UiServer.start(
        Map.of("bootstrap.servers", cluster.bootstrapServers()),
        cluster.topics(),
        UiOptions.defaults()
            .withPort(0)
            .withMaxRuns(100)
            .withReadOnly(true)
            .withStateDir(stateDir)
            .withCheckpointInterval(Duration.ofMillis(500)));
  }

  private static String succeededRun(String name) {
    String runId =
        cluster
            .client()
            .submit(
                UiJobs.DEFS,
                UiJobs.GREETING,
                RunConfig.fromYaml("ops: {greet: {config: {name: " + name + ", times: 1}}}"));
    assertThat(cluster.client().awaitCompletion(runId, WAIT).status()).isEqualTo("SUCCEEDED");
    return runId;
  }

  private static void awaitPage(UiServer ui, String runId, String text) {
    await().atMost(WAIT).until(() -> get(ui, "/runs/" + runId).body().contains(text));
  }

  // The snapshot's offsets, read as any tool would read the file: gzipped JSON.
  private Map<TopicPartition, Long> snapshotOffsets() throws IOException {
    JsonNode snapshot;
    try (InputStream in =
        new GZIPInputStream(Files.newInputStream(stateDir.resolve("ui-view.json.gz")))) {
      snapshot = new ObjectMapper().readTree(in);
    }
    assertThat(snapshot.get("format").asText()).isEqualTo("opflow-ui-view");
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (JsonNode topic : snapshot.get("topics")) {
      topic
          .get("offsets")
          .properties()
          .forEach(
              p ->
                  offsets.put(
                      new TopicPartition(topic.get("topic").asText(), Integer.parseInt(p.getKey())),
                      p.getValue().asLong()));
    }
    return offsets;
  }

  private static void deleteRecordsBefore(Map<TopicPartition, Long> offsets) throws Exception {
    Map<TopicPartition, RecordsToDelete> deletions = new HashMap<>();
    offsets.forEach((p, o) -> deletions.put(p, RecordsToDelete.beforeOffset(o)));
    try (Admin admin = admin()) {
      admin.deleteRecords(deletions).all().get(30, TimeUnit.SECONDS);
    }
  }

  private static Map<TopicPartition, Long> endOffsets() throws Exception {
    OpflowTopics topics = cluster.topics();
    List<String> names =
        List.of(topics.runs(), topics.runEvents(), topics.stepEvents(), topics.hookEvents());
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    try (Admin admin = admin()) {
      admin
          .describeTopics(names)
          .allTopicNames()
          .get(30, TimeUnit.SECONDS)
          .values()
          .forEach(
              d ->
                  d.partitions()
                      .forEach(
                          p ->
                              latest.put(
                                  new TopicPartition(d.name(), p.partition()),
                                  OffsetSpec.latest())));
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin
          .listOffsets(latest)
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach((p, info) -> ends.put(p, info.offset()));
      return ends;
    }
  }

  private static long recordsAfter(Map<TopicPartition, Long> offsets) throws Exception {
    long records = 0;
    for (Map.Entry<TopicPartition, Long> end : endOffsets().entrySet()) {
      records += end.getValue() - offsets.getOrDefault(end.getKey(), 0L);
    }
    return records;
  }

  private static Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
  }

  private static HttpResponse<String> get(UiServer ui, String path)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + ui.port() + path)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
