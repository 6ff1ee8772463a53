package io.opflow.core.execution;

/** What happened to one hook on one step. */
public enum HookOutcome {
  /** The hook ran and returned normally. */
  COMPLETED,
  /** The hook did not apply (a success hook on a failed step, or the reverse). */
  SKIPPED,
  /** The hook threw or timed out; the step's outcome is unchanged. */
  ERRORED
}
