package io.opflow.core.internal;

/**
 * Whether a running hook was told to stop (it ran past its timeout). Set before the hook's thread
 * is interrupted, so a hook that catches the interruption already sees it.
 */
public final class Cancellation {
  private volatile boolean canceled;

  /** Creates a cancellation that is not canceled. */
  public Cancellation() {}

  /** Returns a cancellation that is already canceled, for test contexts. */
  public static Cancellation canceled() {
    Cancellation cancellation = new Cancellation();
    cancellation.cancel();
    return cancellation;
  }

  /** Marks the hook canceled. */
  public void cancel() {
    canceled = true;
  }

  /** Returns whether the hook was canceled. */
  public boolean isCanceled() {
    return canceled;
  }
}
