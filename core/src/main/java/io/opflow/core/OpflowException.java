package io.opflow.core;

/**
 * The root of every exception Opflow throws. Subtypes say whether the problem lies in user
 * definitions, in run config, or in execution.
 */
public class OpflowException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that says what was wrong and what to do. */
  public OpflowException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the underlying cause. */
  public OpflowException(String message, Throwable cause) {
    super(message, cause);
  }
}
