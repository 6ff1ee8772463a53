package io.opflow.core.lifecycle;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle of a run, with its one transition table: {@code STARTED} to {@code SUCCEEDED},
 * {@code FAILED} or {@code CANCELING}; {@code CANCELING} to {@code CANCELED} once no step runs.
 */
public enum RunState {
  /** Steps are being scheduled. */
  STARTED,
  /** Cancel was requested; waiting for running steps to end. */
  CANCELING,
  /** Terminal: every step succeeded or was skipped for an unproduced optional output. */
  SUCCEEDED,
  /** Terminal: a step failed. */
  FAILED,
  /** Terminal: canceled. */
  CANCELED;

  private static final Map<RunState, Set<RunState>> ALLOWED =
      Map.of(
          STARTED, EnumSet.of(CANCELING, SUCCEEDED, FAILED, CANCELED),
          CANCELING, EnumSet.of(CANCELED),
          SUCCEEDED, EnumSet.noneOf(RunState.class),
          FAILED, EnumSet.noneOf(RunState.class),
          CANCELED, EnumSet.noneOf(RunState.class));

  /** Returns whether the run has ended. */
  public boolean isTerminal() {
    return ALLOWED.get(this).isEmpty();
  }

  /** Returns whether the lifecycle allows changing to {@code next}. */
  public boolean canMoveTo(RunState next) {
    return ALLOWED.get(this).contains(next);
  }

  /**
   * Returns {@code next} after checking the change is allowed.
   *
   * @throws IllegalTransitionException if it is not
   */
  public RunState moveTo(RunState next) {
    if (!canMoveTo(next)) {
      throw new IllegalTransitionException("run", this, next);
    }
    return next;
  }
}
