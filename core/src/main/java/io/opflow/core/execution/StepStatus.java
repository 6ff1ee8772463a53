package io.opflow.core.execution;

/** How a step ended. */
public enum StepStatus {
  /** The op succeeded. */
  SUCCEEDED,
  /** The op failed and its retries are used up. */
  FAILED,
  /** The step never ran: an upstream step failed, or an output it reads was not produced. */
  SKIPPED,
  /** The run was canceled before the step ended. */
  CANCELED
}
