package io.opflow.core.execution;

/** How a run ended. */
public enum RunStatus {
  /** Every step succeeded or was skipped for an unproduced optional output. */
  SUCCESS,
  /** At least one step failed for the last time. */
  FAILURE,
  /** The run was canceled before it finished. */
  CANCELED
}
