package io.opflow.core;

/** When a hook fires. */
public enum HookKind {
  /** After a step succeeds. */
  SUCCESS,
  /** After a step fails for the last time, once its retries are used up. */
  FAILURE,
  /**
   * After an attempt fails and the step will be tried again: once per attempt put up for retry,
   * never for the attempt that ends the step. {@link HookContext#nextAttempt()} says when the next
   * attempt is due.
   */
  RETRY
}
