package io.opflow.coordinator;

import io.opflow.events.ErrorInfo;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepHeartbeat;
import io.opflow.events.StepStarted;
import io.opflow.events.StepSucceeded;
import io.opflow.events.StepUpForRetry;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builders of job snapshots, commands and worker events for the coordinator's tests. */
public final class Jobs {
  public static final String CONFIG_JSON = "{\"ops\":{\"a\":{\"config\":{\"n\":1}}}}";

  private Jobs() {}

  public static RetryPolicySnapshot noRetry() {
    return retry(0, 0);
  }

  public static RetryPolicySnapshot retry(int maxRetries, long delayMillis, String... retryOn) {
    return new RetryPolicySnapshot(maxRetries, delayMillis, 1.0, List.of(retryOn));
  }

  /** A node; each binding is "input=step.output". */
  public static NodeSnapshot node(String key, RetryPolicySnapshot retry, String... bindings) {
    List<InputBinding> upstream = new ArrayList<>();
    for (String binding : bindings) {
      String[] parts = binding.split("[=.]", -1);
      upstream.add(new InputBinding(parts[0], parts[1], parts[2]));
    }
    return new NodeSnapshot(key, "op_" + key, upstream, List.of(), retry, Map.of());
  }

  public static NodeSnapshot node(String key, String... bindings) {
    return node(key, noRetry(), bindings);
  }

  /** a -> (b, c) -> d. */
  public static List<NodeSnapshot> diamond() {
    return List.of(
        node("a"),
        node("b", "x=a.result"),
        node("c", "x=a.result"),
        node("d", "left=b.result", "right=c.result"));
  }

  public static RunCommand request(String runId, List<NodeSnapshot> nodes) {
    JobSnapshot job = new JobSnapshot("etl", "1.0.0", nodes);
    return new RunCommand(
        new RunRequested(runId, "etl", CONFIG_JSON, Instant.EPOCH, Map.of(), job, null));
  }

  /** A request that re-executes {@code parentRunId}, reusing the given steps' outputs. */
  public static RunCommand reexecution(
      String runId,
      List<NodeSnapshot> nodes,
      String parentRunId,
      Map<String, Map<String, String>> reused) {
    RunRequested request = (RunRequested) request(runId, nodes).getPayload();
    List<ReusedStep> steps =
        reused.entrySet().stream().map(e -> new ReusedStep(e.getKey(), e.getValue())).toList();
    request.setReexecution(new ReexecutionOf(parentRunId, steps));
    return new RunCommand(request);
  }

  public static RunCommand cancel(String runId, String reason) {
    return new RunCommand(new RunCancelRequested(runId, reason, Instant.EPOCH));
  }

  public static StepEvent started(StepTask task, String worker, Instant leaseExpiresAt) {
    return leaseEvent(task, new StepStarted(worker, leaseExpiresAt), leaseExpiresAt);
  }

  public static StepEvent heartbeat(StepTask task, String worker, Instant leaseExpiresAt) {
    return leaseEvent(task, new StepHeartbeat(worker, leaseExpiresAt), leaseExpiresAt);
  }

  public static StepEvent succeeded(StepTask task, String resultJson) {
    return event(task, new StepSucceeded(Map.of("result", resultJson), 5L, null));
  }

  /** A success that also announces the worker started {@code nextStep}, attempt 1, after it. */
  public static StepEvent succeededChained(StepTask task, String resultJson, String nextStep) {
    return event(task, new StepSucceeded(Map.of("result", resultJson), 5L, nextStep));
  }

  public static StepEvent failed(StepTask task, String message) {
    return event(task, new StepFailed(error(message, false), 5L, Map.of()));
  }

  public static StepEvent upForRetry(StepTask task, Instant retryAt) {
    return event(task, new StepUpForRetry(task.getAttempt() + 1, retryAt, error("flaky", true)));
  }

  public static StepEvent withAttempt(StepEvent event, int attempt) {
    return StepEvent.newBuilder(event).setAttempt(attempt).build();
  }

  public static ErrorInfo error(String message, boolean retriable) {
    return new ErrorInfo("java.io.IOException", message, List.of(), null, retriable);
  }

  // As a worker stamps a start or heartbeat: a lease of the task's length from the event's time.
  private static StepEvent leaseEvent(StepTask task, Object payload, Instant leaseExpiresAt) {
    StepEvent event = event(task, payload);
    event.setTimestamp(leaseExpiresAt.minusMillis(task.getLeaseMillis()));
    return event;
  }

  private static StepEvent event(StepTask task, Object payload) {
    return new StepEvent(
        task.getRunId(),
        task.getStepKey(),
        task.getAttempt(),
        task.getJobName(),
        task.getOpName(),
        // As a worker would stamp it, right as it gets the task.
        task.getIssuedAt(),
        payload,
        null);
  }
}
