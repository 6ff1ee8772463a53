package io.opflow.core.spi;

import java.util.Map;
import org.slf4j.MDC;

/**
 * Puts run id, step key, op and hook in the logging MDC for the current thread, restoring what was
 * there when closed.
 */
public final class LogContext implements AutoCloseable {
  /** MDC key of the run id. */
  public static final String RUN_ID = "runId";

  /** MDC key of the step key. */
  public static final String STEP_KEY = "stepKey";

  /** MDC key of the op name. */
  public static final String OP = "op";

  /** MDC key of the hook name. */
  public static final String HOOK = "hook";

  private final Map<String, String> previous;

  private LogContext(Map<String, String> values) {
    this.previous = MDC.getCopyOfContextMap();
    values.forEach(MDC::put);
  }

  /** Opens a context for a step. */
  public static LogContext forStep(String runId, String stepKey, String op) {
    return new LogContext(Map.of(RUN_ID, runId, STEP_KEY, stepKey, OP, op));
  }

  /** Opens a context for a hook on a step. */
  public static LogContext forHook(String runId, String stepKey, String op, String hook) {
    return new LogContext(Map.of(RUN_ID, runId, STEP_KEY, stepKey, OP, op, HOOK, hook));
  }

  /** Opens a context for a run. */
  public static LogContext forRun(String runId) {
    return new LogContext(Map.of(RUN_ID, runId));
  }

  @Override
  public void close() {
    if (previous == null) {
      MDC.clear();
    } else {
      MDC.setContextMap(previous);
    }
  }
}
