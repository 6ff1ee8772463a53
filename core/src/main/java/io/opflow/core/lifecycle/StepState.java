package io.opflow.core.lifecycle;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle of a step in a run, with its one transition table.
 *
 * <pre>
 * PENDING ──> QUEUED ──> RUNNING ──> SUCCEEDED | FAILED | UP_FOR_RETRY
 *    │          └──────────────────> SUCCEEDED | FAILED | UP_FOR_RETRY
 *    └──> SKIPPED            UP_FOR_RETRY ──> QUEUED
 * any non-terminal state ──> CANCELED
 * </pre>
 */
public enum StepState {
  /** Waiting for upstream steps. */
  PENDING,
  /** A task for the current attempt has been issued. */
  QUEUED,
  /** A worker or thread runs the current attempt. */
  RUNNING,
  /** The last attempt failed; another follows after the retry delay. */
  UP_FOR_RETRY,
  /** Terminal: the op succeeded. */
  SUCCEEDED,
  /** Terminal: the op failed for the last time. */
  FAILED,
  /** Terminal: the step never ran. */
  SKIPPED,
  /** Terminal: the run was canceled first. */
  CANCELED;

  private static final Map<StepState, Set<StepState>> ALLOWED =
      Map.of(
          PENDING, EnumSet.of(QUEUED, SKIPPED, CANCELED),
          QUEUED, EnumSet.of(RUNNING, SUCCEEDED, FAILED, UP_FOR_RETRY, CANCELED),
          RUNNING, EnumSet.of(SUCCEEDED, FAILED, UP_FOR_RETRY, CANCELED),
          UP_FOR_RETRY, EnumSet.of(QUEUED, CANCELED),
          SUCCEEDED, EnumSet.noneOf(StepState.class),
          FAILED, EnumSet.noneOf(StepState.class),
          SKIPPED, EnumSet.noneOf(StepState.class),
          CANCELED, EnumSet.noneOf(StepState.class));

  /** Returns whether the step has ended. */
  public boolean isTerminal() {
    return ALLOWED.get(this).isEmpty();
  }

  /** Returns whether the lifecycle allows changing to {@code next}. */
  public boolean canMoveTo(StepState next) {
    return ALLOWED.get(this).contains(next);
  }

  /**
   * Returns {@code next} after checking the change is allowed.
   *
   * @throws IllegalTransitionException if it is not
   */
  public StepState moveTo(StepState next) {
    if (!canMoveTo(next)) {
      throw new IllegalTransitionException("step", this, next);
    }
    return next;
  }
}
