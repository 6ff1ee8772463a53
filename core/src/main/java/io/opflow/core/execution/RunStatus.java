package io.opflow.core.execution;

/** How a run ended. */
public enum RunStatus {
  /** Every step succeeded or was skipped for an unproduced optional output. */
  SUCCEEDED,
  /** At least one step failed for the last time. */
  FAILED,
  /** The run was canceled before it finished. */
  CANCELED
}
