package io.opflow.runtime;

import io.opflow.runtime.spi.Acknowledgements;
import io.opflow.runtime.spi.UnacknowledgedSendException;
import io.opflow.schemas.DeadLetter;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records a role could not decode or process to the dead-letter topic, raw bytes and
 * provenance headers included (see {@link DeadLetter}). The caller may move past the record only
 * once the broker has the dead letter: {@link #send(ConsumerRecord, Throwable)} waits for that,
 * {@link #send(ConsumerRecord, Throwable, Callback)} says so in a callback, for a thread that must
 * not wait (a hooks-runner lane). {@link #sendHookCall} dead-letters a hook call whose tries are
 * used up, with the step event it fired for.
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
        write(source, error), Acknowledgements.DEFAULT_TIMEOUT, "a dead letter to " + topic);
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
    logSending(source, error.toString());
    sendWithoutWaiting(DeadLetter.record(topic, source, consumerGroup, error), whenWritten);
  }

  /**
   * Sends a hook call whose tries are used up to the dead-letter topic, with the step event it
   * fired for (see {@link DeadLetter#hookCall}), without waiting; {@code whenWritten} hears the
   * outcome as in {@link #send(ConsumerRecord, Throwable, Callback)}.
   *
   * @param source the step event the hook fired for, as read
   * @param hookName the hook's name
   * @param idempotencyKey the call's idempotency key
   * @param tries how many tries the call had
   * @param error the last try's error, as {@code type: message}
   * @param whenWritten told the outcome; may be null
   */
  public void sendHookCall(
      ConsumerRecord<byte[], byte[]> source,
      String hookName,
      String idempotencyKey,
      int tries,
      String error,
      Callback whenWritten) {
    LOG.warn(
        "Hook call {} errored on its last try ({} tries); sending it to {}: {}",
        idempotencyKey,
        tries,
        topic,
        error);
    sendWithoutWaiting(
        DeadLetter.hookCall(topic, source, consumerGroup, hookName, idempotencyKey, tries, error),
        whenWritten);
  }

  private Future<RecordMetadata> write(ConsumerRecord<byte[], byte[]> source, Throwable error) {
    logSending(source, error.toString());
    return producer.send(DeadLetter.record(topic, source, consumerGroup, error));
  }

  // A send that throws (a closed producer, a record too large) is reported like one that failed
  // later, so a caller that counts on the callback never waits for one that will not come.
  private void sendWithoutWaiting(ProducerRecord<byte[], byte[]> deadLetter, Callback whenWritten) {
    try {
      // The callback hears the outcome; the future would only repeat it.
      Future<RecordMetadata> unused = producer.send(deadLetter, whenWritten);
    } catch (RuntimeException e) {
      if (whenWritten == null) {
        throw e;
      }
      whenWritten.onCompletion(null, e);
    }
  }

  private void logSending(ConsumerRecord<byte[], byte[]> source, String why) {
    LOG.warn(
        "Sending record {}-{}@{} to {}: {}",
        source.topic(),
        source.partition(),
        source.offset(),
        topic,
        why);
  }
}
