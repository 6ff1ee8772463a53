package io.opflow.core;

/** Thrown when a job, node or other definition is looked up by a name that does not exist. */
public class UnknownDefinitionException extends OpflowException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception whose message names what was asked for and what exists. */
  public UnknownDefinitionException(String message) {
    super(message);
  }
}
