package io.opflow.runtime;

import io.opflow.runtime.spi.Acknowledgements;
import io.opflow.runtime.spi.UnacknowledgedSendException;
import io.opflow.schemas.DeadLetter;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records a role could not decode or process to the dead-letter topic, raw bytes and
 * provenance headers included (see {@link DeadLetter}). The caller may move past the record only
 * once the broker has the dead letter: {@link #send(ConsumerRecord, Throwable)} waits for that,
 * {@link #send(ConsumerRecord, Throwable, Callback)} says so in a callback.
 */
public final class DeadLetters {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final String consumerGroup;

  /**
   * Creates a sender.
   *
   * @param producer a byte-array producer the caller owns
   * @param topic the dead-letter topic
   * @param consumerGroup the group that gives up on records, written in the provenance headers
   */
  public DeadLetters(Producer<byte[], byte[]> producer, String topic, String consumerGroup) {
    this.producer = producer;
    this.topic = topic;
    this.consumerGroup = consumerGroup;
  }

  /**
   * Sends a record to the dead-letter topic and waits until it is written, at most {@link
   * Acknowledgements#DEFAULT_TIMEOUT}.
   *
   * @param source the record as read
   * @param error why it could not be processed
   * @throws UnacknowledgedSendException if the dead-letter record was not written
   */
  public void send(ConsumerRecord<byte[], byte[]> source, Throwable error) {
    Acknowledgements.await(
        write(source, error, null), Acknowledgements.DEFAULT_TIMEOUT, "a dead letter to " + topic);
  }

  /**
   * Sends a record to the dead-letter topic without waiting; {@code whenWritten} runs on the
   * producer's I/O thread once the broker has the dead letter or the send failed for good, and must
   * be quick.
   *
   * @param source the record as read
   * @param error why it could not be processed
   * @param whenWritten told the outcome; may be null
   */
  public void send(ConsumerRecord<byte[], byte[]> source, Throwable error, Callback whenWritten) {
    // The callback hears the outcome; the future would only repeat it.
    Future<RecordMetadata> unused = write(source, error, whenWritten);
  }

  private Future<RecordMetadata> write(
      ConsumerRecord<byte[], byte[]> source, Throwable error, Callback whenWritten) {
    LOG.warn(
        "Sending record {}-{}@{} to {}: {}",
        source.topic(),
        source.partition(),
        source.offset(),
        topic,
        error.toString());
    return producer.send(DeadLetter.record(topic, source, consumerGroup, error), whenWritten);
  }
}
