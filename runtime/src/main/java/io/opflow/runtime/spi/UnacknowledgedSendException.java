package io.opflow.runtime.spi;

import org.apache.kafka.common.KafkaException;

/**
 * A record the broker never acknowledged, as {@link Acknowledgements#await} reports it: the send
 * failed, timed out, or the wait was interrupted. The cause is the producer's error, a {@link
 * java.util.concurrent.TimeoutException} or an {@link InterruptedException}.
 */
public final class UnacknowledgedSendException extends KafkaException {
  private static final long serialVersionUID = 1L;

  UnacknowledgedSendException(String what, String reason, Throwable cause) {
    super("Could not write " + what + ": " + reason, cause);
  }

  /**
   * Returns whether the wait was interrupted rather than the send failing or timing out.
   *
   * @return true when the cause is an {@link InterruptedException}
   */
  public boolean interrupted() {
    return getCause() instanceof InterruptedException;
  }

  /**
   * Returns whether the wait ran out before the broker answered.
   *
   * @return true when the cause is a {@link java.util.concurrent.TimeoutException}
   */
  public boolean timedOut() {
    return getCause() instanceof java.util.concurrent.TimeoutException;
  }
}
