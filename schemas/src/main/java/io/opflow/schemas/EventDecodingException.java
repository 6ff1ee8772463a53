package io.opflow.schemas;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Thrown when bytes read from an Opflow topic are not a decodable Opflow event: not single-object
 * encoded, written with a schema this reader does not know, truncated, or corrupt.
 *
 * <p>The message says which topic, what was wrong and what to do. It extends Kafka's {@link
 * SerializationException} (a {@link RuntimeException}), so a Kafka consumer reports it as a {@code
 * RecordDeserializationException} carrying the record's position and raw bytes, ready for {@link
 * DeadLetter#record(String, org.apache.kafka.common.errors.RecordDeserializationException,
 * String)}.
 */
public class EventDecodingException extends SerializationException {

  private static final long serialVersionUID = 1L;

  private final String topic;

  /**
   * Creates an exception.
   *
   * @param topic the topic the bytes came from (may be null when unknown)
   * @param problem what was wrong with the bytes
   * @param advice what the reader should do about it
   * @param cause the underlying failure, or null
   */
  public EventDecodingException(String topic, String problem, String advice, Throwable cause) {
    super("Cannot decode a record from topic '" + topic + "': " + problem + ". " + advice, cause);
    this.topic = topic;
  }

  /**
   * Creates an exception without an underlying cause.
   *
   * @param topic the topic the bytes came from
   * @param problem what was wrong with the bytes
   * @param advice what the reader should do about it
   * @return the exception
   */
  public static EventDecodingException of(String topic, String problem, String advice) {
    return new EventDecodingException(topic, problem, advice, null);
  }

  /**
   * Returns the topic the undecodable bytes came from.
   *
   * @return the topic name, or null when the caller did not say
   */
  public String topic() {
    return topic;
  }
}
