package io.opflow.core;

import java.time.Duration;

/**
 * The error of a step attempt whose op ran past its timeout ({@link
 * OpDefinition.Builder#timeout(Duration)}, or {@code ops.<node>.timeout} in the run config). The
 * op's thread was interrupted when the timeout passed; the attempt ends with this error whatever
 * the op did after. Retry policies see it like any other error type: name it in {@link
 * RetryPolicy.Builder#retryOn} to retry only timeouts.
 */
public final class StepTimedOutException extends OpflowException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * @param op the op's name
   * @param node the node (step) that ran it
   * @param timeout the timeout that passed
   * @param cause what the op threw once interrupted, or null
   */
  public StepTimedOutException(String op, String node, Duration timeout, Throwable cause) {
    super(
        "op '"
            + op
            + "' of step '"
            + node
            + "' did not finish within its timeout of "
            + timeout
            + " and was interrupted; raise it with OpDefinition.Builder.timeout(...) or the run"
            + " config's ops."
            + node
            + ".timeout, or make the op finish sooner",
        cause);
  }
}
