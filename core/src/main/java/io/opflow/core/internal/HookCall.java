package io.opflow.core.internal;

import io.opflow.core.NextAttempt;

/**
 * Which call of a hook this is, beyond the step attempt it fires for.
 *
 * @param nextAttempt the attempt the step was put up for, for a retry hook; otherwise {@code null}
 * @param tryNumber 1 for the first try, then 2 and up as the hook's retry policy tries again
 * @param generation 1 for the original call, 2 and up for calls fired again by a replay
 */
public record HookCall(NextAttempt nextAttempt, int tryNumber, int generation) {
  /** The first try of an original call. */
  public static final HookCall FIRST = new HookCall(null, 1, 1);

  /** Checks the numbers. */
  public HookCall {
    if (tryNumber < 1 || generation < 1) {
      throw new IllegalArgumentException(
          "try and generation start at 1, got " + tryNumber + " and " + generation);
    }
  }

  /** Returns this call's next try. */
  public HookCall nextTry() {
    return new HookCall(nextAttempt, tryNumber + 1, generation);
  }

  /** Returns this call as a given try. */
  public HookCall asTry(int number) {
    return new HookCall(nextAttempt, number, generation);
  }
}
