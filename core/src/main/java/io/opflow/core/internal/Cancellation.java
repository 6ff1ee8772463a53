package io.opflow.core.internal;

/**
 * Whether a running hook was told to stop (it ran past its timeout). Set before the hook's thread
 * is interrupted, so a hook that catches the interruption already sees it.
 */
public final class Cancellation {
  private volatile boolean cancelled;

  /** Creates a cancellation that is not cancelled. */
  public Cancellation() {}

  /** Returns a cancellation that is already cancelled, for test contexts. */
  public static Cancellation cancelled() {
    Cancellation cancellation = new Cancellation();
    cancellation.cancel();
    return cancellation;
  }

  /** Marks the hook cancelled. */
  public void cancel() {
    cancelled = true;
  }

  /** Returns whether the hook was cancelled. */
  public boolean isCancelled() {
    return cancelled;
  }
}
