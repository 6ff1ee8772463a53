package io.opflow.client;

import io.opflow.core.OpflowException;

/**
 * A run cannot be re-executed as asked: it is not on the topics, has not ended, or has nothing to
 * re-execute from failure. The message says which and what to do instead.
 */
public final class RunNotReexecutableException extends OpflowException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong and what to do
   */
  public RunNotReexecutableException(String message) {
    super(message);
  }
}
