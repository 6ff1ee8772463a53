package io.opflow.core;

/** When a hook fires. */
public enum HookKind {
  /** After a step succeeds. */
  SUCCESS,
  /** After a step fails for the last time, once its retries are used up. */
  FAILURE
}
