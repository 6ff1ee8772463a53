package io.opflow.core.lifecycle;

import io.opflow.core.OpflowException;

/** Thrown when a step is asked to change to a state its lifecycle does not allow. */
public final class IllegalTransitionException extends OpflowException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception naming both states. */
  public IllegalTransitionException(String what, Enum<?> from, Enum<?> to) {
    super(what + " cannot change from " + from + " to " + to);
  }
}
