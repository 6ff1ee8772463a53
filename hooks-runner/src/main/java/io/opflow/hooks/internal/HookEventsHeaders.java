package io.opflow.hooks.internal;

/** Headers the hooks-runner adds to the hook events it writes. */
public final class HookEventsHeaders {
  /**
   * Offset, in its step-events partition, of the terminal step event the hook reacted to. Lets a
   * restarted hooks-runner tell a redelivery of that record (fire the hooks still missing) from a
   * later, different terminal event of the same attempt (fire nothing).
   */
  public static final String SOURCE_OFFSET = "opflow.hooks.source-offset";

  private HookEventsHeaders() {}
}
