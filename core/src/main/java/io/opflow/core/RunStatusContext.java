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
 */
public record RunStatusContext(
    String sensorName,
    String jobName,
    String runId,
    RunStatus status,
    String message,
    List<String> failedSteps,
    Logger log) {

  /**
   * Returns a key stable across redeliveries of the same run outcome: {@code
   * runId/sensor/sensorName}. The hooks-runner fires a sensor once per key; pass it to external
   * systems, since a runner that crashes before recording the call runs it again.
   */
  public String idempotencyKey() {
    return idempotencyKey(runId, sensorName);
  }

  /** Returns the idempotency key of a sensor's call for a run. */
  public static String idempotencyKey(String runId, String sensorName) {
    return runId + "/sensor/" + sensorName;
  }
}
