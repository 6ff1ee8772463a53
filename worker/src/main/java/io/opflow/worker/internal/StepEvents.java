package io.opflow.worker.internal;

import io.opflow.core.ErrorInfo;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepHeartbeat;
import io.opflow.events.StepSkipped;
import io.opflow.events.StepStarted;
import io.opflow.events.StepSucceeded;
import io.opflow.events.StepUpForRetry;
import io.opflow.protocol.StepTask;
import io.opflow.runtime.ErrorRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Builds the step events a worker publishes for a task; terminal ones carry the run config. */
final class StepEvents {
  private StepEvents() {}

  static StepEvent started(StepTask task, String workerId, Instant now) {
    return started(task, workerId, now, now);
  }

  /** A StepStarted sent later than the op started: stamped with the start, leased from now. */
  static StepEvent started(StepTask task, String workerId, Instant startedAt, Instant now) {
    Instant lease = now.plusMillis(task.getLeaseMillis());
    return envelope(task, startedAt, new StepStarted(workerId, lease), false);
  }

  static StepEvent heartbeat(StepTask task, String workerId, Instant now) {
    Instant lease = now.plusMillis(task.getLeaseMillis());
    return envelope(task, now, new StepHeartbeat(workerId, lease), false);
  }

  static StepEvent succeeded(StepTask task, Map<String, String> outputs, Duration took) {
    return envelope(task, Instant.now(), new StepSucceeded(outputs, took.toMillis(), null), true);
  }

  static StepEvent failed(
      StepTask task, ErrorInfo error, Map<String, String> partialOutputs, Duration took) {
    StepFailed payload =
        new StepFailed(ErrorRecords.toAvro(error), took.toMillis(), partialOutputs);
    return envelope(task, Instant.now(), payload, true);
  }

  /** The attempt was stopped, not failed: its run was canceled while it ran. */
  static StepEvent skipped(StepTask task, String reason) {
    return envelope(task, Instant.now(), new StepSkipped(reason), true);
  }

  static StepEvent upForRetry(StepTask task, ErrorInfo error, Instant retryAt) {
    StepUpForRetry payload =
        new StepUpForRetry(task.getAttempt() + 1, retryAt, ErrorRecords.toAvro(error));
    return envelope(task, Instant.now(), payload, true);
  }

  private static StepEvent envelope(StepTask task, Instant now, Object payload, boolean terminal) {
    return StepEvent.newBuilder()
        .setRunId(task.getRunId())
        .setStepKey(task.getStepKey())
        .setAttempt(task.getAttempt())
        .setJobName(task.getJobName())
        .setOpName(task.getOpName())
        .setTimestamp(now)
        .setPayload(payload)
        .setRunConfigJson(terminal ? task.getRunConfigJson() : null)
        .build();
  }
}
