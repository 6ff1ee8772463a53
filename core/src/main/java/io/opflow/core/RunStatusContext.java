package io.opflow.core;

import io.opflow.core.execution.RunStatus;
import java.util.List;
import org.slf4j.Logger;

/**
 * What a run status sensor sees when a run ends.
 *
 * @param sensorName the sensor
 * @param jobName the job of the run
 * @param runId the run
 * @param status how the run ended
 * @param message a summary of the outcome
 * @param failedSteps the step keys that failed, empty unless the run failed
 * @param log a logger with the run id in its MDC
 * @param generation 1 for the original call; 2 and up for a call fired again by {@code opflow hooks
 *     replay}, whose {@link #idempotencyKey()} ends in {@code /g<generation>}
 */
public record RunStatusContext(
    String sensorName,
    String jobName,
    String runId,
    RunStatus status,
    String message,
    List<String> failedSteps,
    Logger log,
    int generation) {

  /** Checks the generation. */
  public RunStatusContext {
    if (generation < 1) {
      throw new IllegalArgumentException("generation must be 1 or more, got " + generation);
    }
  }

  /** A context of the original call, generation 1. */
  public RunStatusContext(
      String sensorName,
      String jobName,
      String runId,
      RunStatus status,
      String message,
      List<String> failedSteps,
      Logger log) {
    this(sensorName, jobName, runId, status, message, failedSteps, log, 1);
  }

  /**
   * Returns a key stable across redeliveries of the same run outcome: {@code
   * runId/sensor/sensorName}. The hooks-runner fires a sensor once per key; pass it to external
   * systems, since a runner that crashes before recording the call runs it again. A call fired
   * again by a replay has {@code /g<generation>} appended, so that a receiver that drops repeated
   * keys takes it.
   */
  public String idempotencyKey() {
    return idempotencyKey(runId, sensorName, generation);
  }

  /**
   * Returns the idempotency key of a generation of a sensor's call: the plain key for generation 1,
   * with {@code /g<generation>} appended for a call fired again by a replay.
   */
  public static String idempotencyKey(String runId, String sensorName, int generation) {
    if (generation < 1) {
      throw new IllegalArgumentException("generation must be 1 or more, got " + generation);
    }
    String key = idempotencyKey(runId, sensorName);
    return generation == 1 ? key : key + "/g" + generation;
  }

  /** Returns the idempotency key of a sensor's call for a run. */
  public static String idempotencyKey(String runId, String sensorName) {
    return runId + "/sensor/" + sensorName;
  }
}
