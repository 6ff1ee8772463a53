package io.opflow.client.internal;

import io.opflow.client.RunUpdate;
import io.opflow.client.RunUpdate.Source;
import io.opflow.events.ErrorInfo;
import io.opflow.events.HookErrored;
import io.opflow.events.HookEvent;
import io.opflow.events.HookSkipped;
import io.opflow.events.RunCanceled;
import io.opflow.events.RunEvent;
import io.opflow.events.RunFailed;
import io.opflow.events.RunStarted;
import io.opflow.events.RunSucceeded;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepHeartbeat;
import io.opflow.events.StepSkipped;
import io.opflow.events.StepStarted;
import io.opflow.events.StepSucceeded;
import io.opflow.events.StepUpForRetry;

/** Turns decoded events into {@link RunUpdate}s. */
public final class Updates {
  private Updates() {}

  /**
   * Converts a step event.
   *
   * @param e the event
   * @return the update
   */
  public static RunUpdate of(StepEvent e) {
    Object p = e.getPayload();
    String status = stepStatus(p);
    String detail =
        p instanceof StepFailed f
            ? message(f.getError())
            : p instanceof StepUpForRetry r
                ? "next attempt " + r.getNextAttempt() + " after " + message(r.getError())
                : p instanceof StepSkipped s ? s.getReason() : "";
    return new RunUpdate(
        e.getRunId(),
        Source.STEP,
        e.getStepKey(),
        e.getAttempt(),
        e.getStepKey(),
        status,
        detail,
        e.getTimestamp().toEpochMilli());
  }

  private static String stepStatus(Object p) {
    if (p instanceof StepStarted) {
      return "STARTED";
    } else if (p instanceof StepHeartbeat) {
      return "HEARTBEAT";
    } else if (p instanceof StepSucceeded) {
      return "SUCCEEDED";
    } else if (p instanceof StepFailed) {
      return "FAILED";
    } else if (p instanceof StepSkipped) {
      return "SKIPPED";
    }
    return "UP_FOR_RETRY";
  }

  /**
   * Converts a hook event.
   *
   * @param e the event
   * @return the update
   */
  public static RunUpdate of(HookEvent e) {
    Object p = e.getPayload();
    String status =
        p instanceof HookSkipped ? "SKIPPED" : p instanceof HookErrored ? "ERRORED" : "COMPLETED";
    String detail =
        p instanceof HookSkipped s
            ? s.getReason()
            : p instanceof HookErrored err ? message(err.getError()) : "";
    return new RunUpdate(
        e.getRunId(),
        e.getRunSensor() ? Source.SENSOR : Source.HOOK,
        e.getStepKey(),
        e.getAttempt(),
        e.getHookName(),
        status,
        detail,
        e.getTimestamp().toEpochMilli());
  }

  /**
   * Converts a run event.
   *
   * @param e the event
   * @return the update
   */
  public static RunUpdate of(RunEvent e) {
    Object p = e.getPayload();
    String status =
        p instanceof RunStarted
            ? "STARTED"
            : p instanceof RunSucceeded
                ? "SUCCEEDED"
                : p instanceof RunFailed ? "FAILED" : "CANCELED";
    String detail =
        p instanceof RunFailed f
            ? f.getMessage() + " " + f.getFailedSteps()
            : p instanceof RunCanceled c
                ? c.getReason()
                : p instanceof RunStarted s ? reexecution(s) : "";
    return new RunUpdate(
        e.getRunId(),
        Source.RUN,
        "",
        0,
        e.getJobName(),
        status,
        detail,
        e.getTimestamp().toEpochMilli());
  }

  private static String reexecution(RunStarted started) {
    if (started.getParentRunId() == null) {
      return "";
    }
    String reused =
        started.getReusedStepKeys().isEmpty()
            ? "running every step"
            : "reusing " + String.join(", ", started.getReusedStepKeys());
    return "re-executes run " + started.getParentRunId() + ", " + reused;
  }

  private static String message(ErrorInfo error) {
    return error.getType() + (error.getMessage() == null ? "" : ": " + error.getMessage());
  }
}
