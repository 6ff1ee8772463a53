package io.opflow.ui.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opflow.ui.internal.RunView.AttemptView;
import io.opflow.ui.internal.RunView.EventLine;
import io.opflow.ui.internal.RunView.HookView;
import io.opflow.ui.internal.RunView.InputView;
import io.opflow.ui.internal.RunView.StepView;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The UI view's snapshot as JSON, written and read as a stream, one run at a time, so that neither
 * holds a second copy of the view. The layout:
 *
 * <pre>{@code
 * {"format": "opflow-ui-view", "version": 1, "writtenAt": "...",
 *  "topics": [{"topic": "opflow.run-events", "topicId": "...", "offsets": {"0": 1234}}, ...],
 *  "workers": {"worker-1": 1733140000000},
 *  "runs": [{"runId": ..., "steps": [...], "events": [...]}, ...]}
 * }</pre>
 *
 * <p>Any change to what a run holds (a field in {@link RunView} or its parts) changes the records
 * below and bumps {@link #VERSION}: a snapshot of another version is not read, and the UI reads the
 * event topics from their beginning once. {@code ViewSnapshotCodecTest} fails when a field of the
 * view has no counterpart here.
 */
final class ViewSnapshotCodec {
  static final String FORMAT = "opflow-ui-view";
  static final int VERSION = 2;

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
          .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);

  private ViewSnapshotCodec() {}

  /** What is written with the runs held by the view. */
  @FunctionalInterface
  interface ViewWriter {
    void write(Collection<RunView> runs, Map<String, Long> workersSeen) throws IOException;
  }

  /**
   * Where the snapshot's view was read up to in one topic.
   *
   * @param topic the topic's name
   * @param topicId the id Kafka gave the topic when it was created, or empty if unknown
   * @param offsets per partition, the offset of the next record to read
   */
  record TopicOffsets(String topic, String topicId, Map<Integer, Long> offsets) {}

  /**
   * A snapshot read back.
   *
   * @param writtenAt when it was written
   * @param topics where its view was read up to
   * @param workersSeen each worker seen and when, epoch millis
   * @param runs the runs
   */
  record Snapshot(
      Instant writtenAt,
      List<TopicOffsets> topics,
      Map<String, Long> workersSeen,
      List<RunView> runs) {}

  /** Writes the header, then each run as the view hands it over. */
  static void write(
      OutputStream out,
      Instant writtenAt,
      List<TopicOffsets> topics,
      Collection<RunView> runs,
      Map<String, Long> workersSeen)
      throws IOException {
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("format", FORMAT);
      json.writeNumberField("version", VERSION);
      json.writeStringField("writtenAt", writtenAt.toString());
      json.writeFieldName("topics");
      JSON.writeValue(json, topics);
      json.writeFieldName("workers");
      JSON.writeValue(json, workersSeen);
      json.writeArrayFieldStart("runs");
      for (RunView run : runs) {
        JSON.writeValue(json, RunJson.of(run));
      }
      json.writeEndArray();
      json.writeEndObject();
    }
  }

  /**
   * Reads a snapshot.
   *
   * @throws IOException when it is not a snapshot of this version, or is cut short or malformed
   */
  static Snapshot read(InputStream in) throws IOException {
    try (JsonParser json = JSON.createParser(in)) {
      expect(json, json.nextToken() == JsonToken.START_OBJECT, "no JSON object");
      Header header = new Header();
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        json.nextToken();
        header.read(field, json);
      }
      expect(json, json.currentToken() == JsonToken.END_OBJECT, "the snapshot does not end");
      expect(json, json.nextToken() == null, "something follows the snapshot");
      return header.complete();
    }
  }

  private static void expect(JsonParser json, boolean condition, String problem)
      throws IOException {
    if (!condition) {
      throw new IOException(problem + " at " + json.currentLocation().offsetDescription());
    }
  }

  // The fields as they come; the format and version must come before the runs.
  private static final class Header {
    private String format;
    private Integer version;
    private Instant writtenAt;
    private List<TopicOffsets> topics;
    private Map<String, Long> workers;
    private List<RunView> runs;

    void read(String field, JsonParser json) throws IOException {
      switch (field) {
        case "format" -> format = json.getText();
        case "version" -> version = checkedVersion(json.getIntValue());
        case "writtenAt" -> writtenAt = Instant.parse(json.getText());
        case "topics" -> topics = JSON.readValue(json, new TypeReference<List<TopicOffsets>>() {});
        case "workers" -> workers = JSON.readValue(json, new TypeReference<Map<String, Long>>() {});
        case "runs" -> runs = runs(json);
        default -> throw new IOException("unknown field '" + field + "'");
      }
    }

    private Integer checkedVersion(int read) throws IOException {
      if (!FORMAT.equals(format)) {
        throw new IOException("not an Opflow UI snapshot (format " + format + ")");
      }
      if (read != VERSION) {
        throw new IOException("version " + read + "; this UI reads version " + VERSION);
      }
      return read;
    }

    private List<RunView> runs(JsonParser json) throws IOException {
      if (version == null) {
        throw new IOException("runs before the format and version");
      }
      expect(json, json.currentToken() == JsonToken.START_ARRAY, "runs is not an array");
      List<RunView> read = new ArrayList<>();
      while (json.nextToken() == JsonToken.START_OBJECT) {
        read.add(JSON.readValue(json, RunJson.class).toView());
      }
      expect(json, json.currentToken() == JsonToken.END_ARRAY, "runs does not end");
      return read;
    }

    Snapshot complete() throws IOException {
      if (version == null
          || writtenAt == null
          || topics == null
          || workers == null
          || runs == null) {
        throw new IOException("incomplete: a field is missing");
      }
      return new Snapshot(writtenAt, topics, workers, runs);
    }
  }

  /** A run as the snapshot holds it: every field of {@link RunView}. */
  record RunJson(
      String runId,
      String jobName,
      String status,
      long startedAt,
      long endedAt,
      String message,
      String parentRunId,
      List<StepJson> steps,
      Map<String, List<InputView>> inputs,
      Map<String, List<String>> upstream,
      Map<String, String> configs,
      List<EventLine> events,
      long eventCount) {
    static RunJson of(RunView run) {
      return new RunJson(
          run.runId,
          run.jobName,
          run.status,
          run.startedAt,
          run.endedAt,
          run.message,
          run.parentRunId,
          run.steps.values().stream().map(StepJson::of).toList(),
          run.inputs,
          run.upstream,
          run.configs,
          run.events,
          run.eventCount);
    }

    RunView toView() {
      RunView run = new RunView(runId);
      run.jobName = jobName;
      run.status = status;
      run.startedAt = startedAt;
      run.endedAt = endedAt;
      run.message = message;
      run.parentRunId = parentRunId;
      steps.forEach(step -> run.steps.put(step.stepKey(), step.toView()));
      run.inputs.putAll(inputs);
      run.upstream.putAll(upstream);
      run.configs.putAll(configs);
      run.events.addAll(events);
      run.eventCount = eventCount;
      return run;
    }
  }

  /** A step as the snapshot holds it: every field of {@link StepView}. */
  record StepJson(
      String stepKey,
      String opName,
      String status,
      List<AttemptJson> attempts,
      List<HookView> hooks) {
    static StepJson of(StepView step) {
      return new StepJson(
          step.stepKey,
          step.opName,
          step.status,
          step.attempts.values().stream().map(AttemptJson::of).toList(),
          step.hooks);
    }

    StepView toView() {
      StepView step = new StepView(stepKey);
      step.opName = opName;
      step.status = status;
      attempts.forEach(attempt -> step.attempts.put(attempt.attempt(), attempt.toView()));
      step.hooks.addAll(hooks);
      return step;
    }
  }

  /** An attempt as the snapshot holds it: every field of {@link AttemptView}. */
  record AttemptJson(
      int attempt,
      String worker,
      long startedAt,
      long endedAt,
      String status,
      String errorType,
      String errorMessage,
      String stackTrace,
      Map<String, String> outputs) {
    static AttemptJson of(AttemptView attempt) {
      return new AttemptJson(
          attempt.attempt,
          attempt.worker,
          attempt.startedAt,
          attempt.endedAt,
          attempt.status,
          attempt.errorType,
          attempt.errorMessage,
          attempt.stackTrace,
          attempt.outputs);
    }

    AttemptView toView() {
      AttemptView view = new AttemptView(attempt);
      view.worker = worker;
      view.startedAt = startedAt;
      view.endedAt = endedAt;
      view.status = status;
      view.errorType = errorType;
      view.errorMessage = errorMessage;
      view.stackTrace = stackTrace;
      view.outputs.putAll(outputs);
      return view;
    }
  }
}
