package io.opflow.schemas;

import io.opflow.events.ErrorInfo;
import io.opflow.events.HookCompleted;
import io.opflow.events.HookErrored;
import io.opflow.events.HookEvent;
import io.opflow.events.HookKind;
import io.opflow.events.HookSkipped;
import io.opflow.events.RunCanceled;
import io.opflow.events.RunEvent;
import io.opflow.events.RunFailed;
import io.opflow.events.RunStarted;
import io.opflow.events.RunSucceeded;
import io.opflow.events.StackFrameInfo;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepHeartbeat;
import io.opflow.events.StepSkipped;
import io.opflow.events.StepStarted;
import io.opflow.events.StepSucceeded;
import io.opflow.events.StepUpForRetry;
import io.opflow.protocol.HookRef;
import io.opflow.protocol.InputBinding;
import io.opflow.protocol.JobSnapshot;
import io.opflow.protocol.NodeSnapshot;
import io.opflow.protocol.ReexecutionOf;
import io.opflow.protocol.RetryPolicySnapshot;
import io.opflow.protocol.ReusedStep;
import io.opflow.protocol.RunCancelRequested;
import io.opflow.protocol.RunCommand;
import io.opflow.protocol.RunRequested;
import io.opflow.protocol.StepTask;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;

/** One record of every event type and every payload variant, with every field filled. */
final class Fixtures {

  static final String RUN_ID = "5f0c6a8e-7d1b-4c1e-9a63-1f6f0b7e2a10";
  static final Instant AT = Instant.ofEpochMilli(1_790_000_000_123L);

  private Fixtures() {}

  static List<SpecificRecord> everyEvent() {
    return Stream.of(runCommands(), stepTasks(), stepEvents(), hookEvents(), runEvents())
        .flatMap(List::stream)
        .map(SpecificRecord.class::cast)
        .toList();
  }

  static List<RunCommand> runCommands() {
    return List.of(
        new RunCommand(runRequested()),
        new RunCommand(new RunCancelRequested(RUN_ID, "operator asked", AT)));
  }

  static RunRequested runRequested() {
    RetryPolicySnapshot retry =
        new RetryPolicySnapshot(3, 500L, 2.0, List.of("java.io.IOException"));
    NodeSnapshot a =
        new NodeSnapshot(
            "a",
            "fetch",
            List.of(),
            List.of(new HookRef("slack", HookKind.FAILURE, true)),
            retry,
            Map.of("team", "data"));
    NodeSnapshot b =
        new NodeSnapshot(
            "b",
            "load",
            List.of(new InputBinding("rows", "a", "result")),
            List.of(new HookRef("audit", HookKind.SUCCESS, false)),
            retry,
            Map.of());
    JobSnapshot job = new JobSnapshot("etl", "1.4.2", List.of(a, b));
    return new RunRequested(
        RUN_ID,
        "etl",
        "{\"resources\":{\"slack\":{\"config\":{\"token\":{\"env\":\"SLACK_TOKEN\"}}}}}",
        AT,
        Map.of("origin", "test"),
        job,
        new ReexecutionOf(
            "0b9c2f4e-1111-4c3a-9d7e-2f6a8c1d5e70",
            List.of(new ReusedStep("a", Map.of("result", "[1,2,3]")))));
  }

  static List<StepTask> stepTasks() {
    return List.of(
        new StepTask(
            RUN_ID,
            "etl",
            "b",
            "load",
            2,
            Map.of("rows", "[1,2,3]"),
            "{}",
            "1.4.2",
            30_000L,
            AT,
            List.of()));
  }

  static List<StepEvent> stepEvents() {
    return Stream.of(
            new StepStarted("worker-1", AT.plusSeconds(30)),
            new StepHeartbeat("worker-1", AT.plusSeconds(60)),
            new StepSucceeded(Map.of("result", "{\"n\":3}"), 1234L, null),
            new StepFailed(error(), 99L, Map.of("partial", "1")),
            new StepSkipped("upstream a failed"),
            new StepUpForRetry(3, AT.plusSeconds(5), error()))
        .map(p -> new StepEvent(RUN_ID, "a", 2, "etl", "fetch", AT, p, "{\"ops\":{}}"))
        .toList();
  }

  static List<HookEvent> hookEvents() {
    return Stream.of(
            new HookCompleted(12L), new HookSkipped("no resources"), new HookErrored(error()))
        .map(
            p ->
                new HookEvent(
                    RUN_ID,
                    "a",
                    2,
                    "slack",
                    HookKind.FAILURE,
                    RUN_ID + "/a/2/slack/g2",
                    AT,
                    true,
                    2,
                    AT.plusSeconds(5),
                    2,
                    false,
                    p))
        .toList();
  }

  static List<RunEvent> runEvents() {
    return Stream.of(
            RunStarted.newBuilder().build(),
            new RunSucceeded(4_000L),
            new RunFailed(List.of("a"), "1 step failed"),
            new RunCanceled("operator asked"))
        .map(p -> new RunEvent(RUN_ID, "etl", AT, p))
        .toList();
  }

  static ErrorInfo error() {
    ErrorInfo cause =
        new ErrorInfo(
            "java.net.ConnectException",
            null,
            List.of(new StackFrameInfo("java.net.Socket", "connect", null, -1)),
            null,
            true);
    return new ErrorInfo(
        "java.io.UncheckedIOException",
        "fetch failed",
        List.of(new StackFrameInfo("com.acme.Fetch", "run", "Fetch.java", 42)),
        cause,
        false);
  }
}
