package io.opflow.hooks;

import io.opflow.core.OpflowException;

/**
 * Thrown when a {@link HookReplay} cannot choose calls as asked: an empty time range, or a topic
 * that does not exist. The message says what was wrong and what to do.
 */
public final class InvalidSelectionException extends OpflowException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong and what to do
   */
  public InvalidSelectionException(String message) {
    super(message);
  }
}
