package io.opflow.client;

import java.util.List;

/**
 * What a watched run came to.
 *
 * @param runId the run id
 * @param status the final status: {@code SUCCEEDED}, {@code FAILED}, {@code CANCELED}, or the last
 *     status seen ({@code REQUESTED}, {@code STARTED}) when the watch timed out
 * @param steps step updates in order
 * @param hooks hook updates in order
 * @param runUpdates run updates in order
 */
public record RunOutcome(
    String runId,
    String status,
    List<RunUpdate> steps,
    List<RunUpdate> hooks,
    List<RunUpdate> runUpdates) {

  /** Copies the lists. */
  public RunOutcome {
    steps = List.copyOf(steps);
    hooks = List.copyOf(hooks);
    runUpdates = List.copyOf(runUpdates);
  }

  /**
   * Returns whether the run succeeded.
   *
   * @return true when the status is {@code SUCCEEDED}
   */
  public boolean succeeded() {
    return "SUCCEEDED".equals(status);
  }

  /**
   * Returns whether the run ended (succeeded, failed or canceled).
   *
   * @return true when terminal
   */
  public boolean isTerminal() {
    return List.of("SUCCEEDED", "FAILED", "CANCELED").contains(status);
  }

  /**
   * Returns the hook updates of one hook name, in order.
   *
   * @param hookName the hook name
   * @return the updates
   */
  public List<RunUpdate> hooksNamed(String hookName) {
    return hooks.stream().filter(h -> h.name().equals(hookName)).toList();
  }

  /**
   * Returns the updates of one step, every attempt, in the order read.
   *
   * @param stepKey the step key
   * @return the step's updates
   */
  public List<RunUpdate> stepUpdates(String stepKey) {
    return steps.stream().filter(s -> s.stepKey().equals(stepKey)).toList();
  }
}
