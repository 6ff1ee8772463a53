package io.opflow.client;

import io.opflow.core.OpflowException;
import java.time.Duration;

/**
 * Thrown when the Kafka broker did not answer within the client's connect timeout: nothing listens
 * at the address, a firewall drops the connection, or the broker is still starting.
 */
public final class BrokerUnreachableException extends OpflowException {
  private static final long serialVersionUID = 1L;

  private final String bootstrapServers;
  private final Duration waited;

  /**
   * Creates the exception.
   *
   * @param bootstrapServers the address the client tried, as given in {@code bootstrap.servers}
   * @param waited how long the client waited
   * @param cause what the Kafka client reported, if anything
   */
  public BrokerUnreachableException(String bootstrapServers, Duration waited, Throwable cause) {
    this(
        "the Kafka broker at " + bootstrapServers + " did not answer within " + describe(waited),
        bootstrapServers,
        waited,
        cause);
  }

  private BrokerUnreachableException(
      String message, String bootstrapServers, Duration waited, Throwable cause) {
    super(message, cause);
    this.bootstrapServers = bootstrapServers;
    this.waited = waited;
  }

  /**
   * Creates the exception for an address whose host name does not resolve.
   *
   * @param bootstrapServers the address the client tried
   * @param cause what the Kafka client reported
   * @return the exception
   */
  public static BrokerUnreachableException unresolvable(String bootstrapServers, Throwable cause) {
    return new BrokerUnreachableException(
        "the Kafka broker at "
            + bootstrapServers
            + " cannot be reached: its host name does not"
            + " resolve",
        bootstrapServers,
        Duration.ZERO,
        cause);
  }

  /**
   * Returns whether a Kafka client failed to start because no bootstrap address resolves.
   *
   * @param e what creating the client threw
   * @return true when the cause is an unresolvable {@code bootstrap.servers}
   */
  public static boolean isUnresolvable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("No resolvable bootstrap urls")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns the address the client tried.
   *
   * @return the {@code bootstrap.servers} value
   */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Returns how long the client waited for an answer.
   *
   * @return the connect timeout
   */
  public Duration waited() {
    return waited;
  }

  /**
   * Describes a duration for people: {@code 10 s}, {@code 500 ms}.
   *
   * @param duration the duration
   * @return the text
   */
  public static String describe(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
