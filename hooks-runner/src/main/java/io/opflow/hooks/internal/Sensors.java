package io.opflow.hooks.internal;

import io.opflow.core.RunStatusContext;
import io.opflow.core.RunStatusSensor;
import io.opflow.core.execution.RunStatus;
import io.opflow.core.internal.LogContext;
import io.opflow.events.RunCanceled;
import io.opflow.events.RunEvent;
import io.opflow.events.RunFailed;
import io.opflow.events.RunSucceeded;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the run status sensors that apply to a terminal run event; a sensor error is only logged.
 */
final class Sensors {
  private static final Logger LOG = LoggerFactory.getLogger(Sensors.class);

  private final List<RunStatusSensor> sensors;

  Sensors(List<RunStatusSensor> sensors) {
    this.sensors = List.copyOf(sensors);
  }

  void react(RunEvent event) {
    Object payload = event.getPayload();
    RunStatus status = status(payload);
    if (status == null) {
      return;
    }
    for (RunStatusSensor sensor : sensors) {
      if (sensor.appliesTo(event.getJobName(), status)) {
        invoke(sensor, event, status, payload);
      }
    }
  }

  private static void invoke(
      RunStatusSensor sensor, RunEvent event, RunStatus status, Object payload) {
    Logger log = LoggerFactory.getLogger("opflow.sensor." + sensor.name());
    List<String> failed =
        payload instanceof RunFailed f ? List.copyOf(f.getFailedSteps()) : List.of();
    RunStatusContext context =
        new RunStatusContext(
            sensor.name(),
            event.getJobName(),
            event.getRunId(),
            status,
            message(payload),
            failed,
            log);
    try (LogContext ignored = LogContext.forRun(event.getRunId())) {
      sensor.invoke(context);
    } catch (Exception e) {
      LOG.error("Sensor '{}' failed for run {}", sensor.name(), event.getRunId(), e);
    }
  }

  private static RunStatus status(Object payload) {
    if (payload instanceof RunSucceeded) {
      return RunStatus.SUCCESS;
    }
    if (payload instanceof RunFailed) {
      return RunStatus.FAILURE;
    }
    return payload instanceof RunCanceled ? RunStatus.CANCELED : null;
  }

  private static String message(Object payload) {
    if (payload instanceof RunFailed f) {
      return f.getMessage();
    }
    if (payload instanceof RunCanceled c) {
      return "run canceled: " + c.getReason();
    }
    return "run succeeded in " + ((RunSucceeded) payload).getDurationMillis() + " ms";
  }
}
