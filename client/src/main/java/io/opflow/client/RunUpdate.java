package io.opflow.client;

/**
 * One thing that happened in a run, as the client saw it on the event topics.
 *
 * @param runId the run id
 * @param source where it came from: a step, a hook or the run itself
 * @param stepKey the step key, or empty for run updates
 * @param attempt the step attempt, or 0 for run updates
 * @param name the hook name for hook updates, else the step key or job name
 * @param status what happened, such as {@code STARTED}, {@code SUCCEEDED}, {@code COMPLETED}
 * @param detail a message for people (error message, skip reason), or empty
 * @param timestampMillis when it happened
 */
public record RunUpdate(
    String runId,
    Source source,
    String stepKey,
    int attempt,
    String name,
    String status,
    String detail,
    long timestampMillis) {

  /** Where an update came from. */
  public enum Source {
    /** A step event. */
    STEP,
    /** A hook event. */
    HOOK,
    /** A run event. */
    RUN,
    /** A run status sensor's call, recorded by the hooks-runner. */
    SENSOR
  }

  /**
   * Returns a one-line description, such as {@code run 1a2b3c4d step a attempt 1 STARTED}.
   *
   * @return the line
   */
  public String toLine() {
    String run = "run " + runId.substring(0, Math.min(8, runId.length()));
    String what =
        switch (source) {
          case STEP -> "step " + stepKey + " attempt " + attempt + " " + status;
          case HOOK -> "step " + stepKey + " attempt " + attempt + " hook " + name + " " + status;
          case RUN -> "job " + name + " " + status;
          case SENSOR -> "sensor " + name + " " + status;
        };
    return run + " " + what + (detail.isEmpty() ? "" : ": " + detail);
  }
}
