package io.opflow.cli.internal;

import io.opflow.core.OpflowException;

/** Input a person gave the command line that cannot work; the message says what and what to do. */
public final class BadInputException extends OpflowException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong and what to do
   */
  public BadInputException(String message) {
    super(message);
  }
}
