package io.opflow.runtime.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Waits, with a timeout, for the broker to acknowledge a record a producer sent: the one way a role
 * blocks on a send. A send that failed, was not acknowledged in time, or whose wait was interrupted
 * becomes an {@link UnacknowledgedSendException} that says which.
 */
public final class Acknowledgements {
  /** How long a role waits for an acknowledgement unless it says otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private Acknowledgements() {}

  /**
   * Waits until the broker has the record or the send failed, at most {@code timeout}.
   *
   * @param sent the future the producer returned for the record
   * @param timeout how long to wait at most
   * @param what the record, for the message: {@code "a dead letter to dead-letter"}
   * @return where the record was written
   * @throws UnacknowledgedSendException if the send failed (its cause is the producer's error), was
   *     not acknowledged within the timeout (cause: a {@link TimeoutException}) or the thread was
   *     interrupted (cause: the {@link InterruptedException}; the thread's interrupt flag is set
   *     again)
   */
  public static RecordMetadata await(Future<RecordMetadata> sent, Duration timeout, String what) {
    Objects.requireNonNull(what, "what");
    try {
      return sent.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new UnacknowledgedSendException(what, cause.toString(), cause);
    } catch (TimeoutException e) {
      throw new UnacknowledgedSendException(
          what, "the broker did not acknowledge it within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnacknowledgedSendException(what, "interrupted while waiting for the broker", e);
    }
  }
}
