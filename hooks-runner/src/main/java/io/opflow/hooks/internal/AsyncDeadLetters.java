package io.opflow.hooks.internal;

import io.opflow.core.ErrorInfo;
import io.opflow.schemas.DeadLetter;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records the hooks-runner cannot decode or process, and hook calls whose tries are used up,
 * to the dead-letter topic without waiting: the lane moves on, and the record counts as done once
 * the dead letter is acknowledged. (Runtime's {@code DeadLetters} waits for the broker, which a
 * lane must not do.)
 */
final class AsyncDeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(AsyncDeadLetters.class);

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final String consumerGroup;

  AsyncDeadLetters(Producer<byte[], byte[]> producer, String topic, String consumerGroup) {
    this.producer = producer;
    this.topic = topic;
    this.consumerGroup = consumerGroup;
  }

  /** Sends {@code source} to the dead-letter topic; {@code acknowledged} hears how it went. */
  void send(ConsumerRecord<byte[], byte[]> source, Throwable error, Callback acknowledged) {
    LOG.warn(
        "Sending record {} to {}: {}", PartitionLane.describe(source), topic, error.toString());
    try {
      // The callback hears the outcome; the future would only repeat it.
      Future<RecordMetadata> unused =
          producer.send(DeadLetter.record(topic, source, consumerGroup, error), acknowledged);
    } catch (RuntimeException e) {
      acknowledged.onCompletion(null, e);
    }
  }

  /**
   * Sends a hook call whose tries are used up to the dead-letter topic, with the step event it
   * fired for; {@code acknowledged} hears how it went.
   */
  void sendHookCall(
      ConsumerRecord<byte[], byte[]> source,
      String hookName,
      String idempotencyKey,
      int tries,
      ErrorInfo error,
      Callback acknowledged) {
    String text = error == null ? "unknown" : error.type() + ": " + error.message();
    LOG.warn(
        "Hook call {} errored on its last try ({} tries); sending it to {}: {}",
        idempotencyKey,
        tries,
        topic,
        text);
    try {
      Future<RecordMetadata> unused =
          producer.send(
              DeadLetter.hookCall(
                  topic, source, consumerGroup, hookName, idempotencyKey, tries, text),
              acknowledged);
    } catch (RuntimeException e) {
      acknowledged.onCompletion(null, e);
    }
  }
}
