package io.opflow.hooks.internal;

import io.opflow.core.RunStatusContext;
import io.opflow.core.RunStatusSensor;
import io.opflow.core.execution.RunStatus;
import io.opflow.core.spi.LogContext;
import io.opflow.events.RunCanceled;
import io.opflow.events.RunEvent;
import io.opflow.events.RunFailed;
import io.opflow.events.RunSucceeded;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run status sensors this runner serves: which apply to a terminal run event, and running one.
 * A sensor's error is returned, to be recorded, and logged.
 */
final class Sensors {
  private static final Logger LOG = LoggerFactory.getLogger(Sensors.class);

  private final List<RunStatusSensor> sensors;

  Sensors(List<RunStatusSensor> sensors) {
    this.sensors = List.copyOf(sensors);
  }

  /** Returns how a terminal run event says the run ended, or null for any other run event. */
  static RunStatus statusOf(RunEvent event) {
    return status(event.getPayload());
  }

  /** Returns the sensors that fire for a run that ended with {@code status}. */
  List<RunStatusSensor> applicable(RunEvent event, RunStatus status) {
    return sensors.stream().filter(s -> s.appliesTo(event.getJobName(), status)).toList();
  }

  /** Runs one sensor for a run's end; returns what it threw, or null. */
  Exception invoke(RunStatusSensor sensor, RunEvent event, RunStatus status) {
    return invoke(sensor, event, status, 1);
  }

  /**
   * Runs one sensor for a run's end under a generation of its call (2 and up when a replay fires it
   * again); returns what it threw, or null.
   */
  Exception invoke(RunStatusSensor sensor, RunEvent event, RunStatus status, int generation) {
    Object payload = event.getPayload();
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
            log,
            generation);
    try (LogContext ignored = LogContext.forRun(event.getRunId())) {
      sensor.invoke(context);
      return null;
    } catch (Exception e) {
      LOG.error("Sensor '{}' failed for run {}", sensor.name(), event.getRunId(), e);
      return e;
    }
  }

  private static RunStatus status(Object payload) {
    if (payload instanceof RunSucceeded) {
      return RunStatus.SUCCEEDED;
    }
    if (payload instanceof RunFailed) {
      return RunStatus.FAILED;
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
