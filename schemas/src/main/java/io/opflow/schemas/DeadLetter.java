package io.opflow.schemas;

import java.nio.ByteBuffer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds dead-letter records: the original key and value bytes and headers, plus provenance headers
 * ({@link EventHeaders#DLQ_SOURCE_TOPIC}, {@link EventHeaders#DLQ_SOURCE_PARTITION}, {@link
 * EventHeaders#DLQ_SOURCE_OFFSET}, {@link EventHeaders#DLQ_ERROR}, {@link
 * EventHeaders#DLQ_CONSUMER_GROUP}).
 *
 * <p>Send the result with a {@code byte[]} producer to {@link OpflowTopics#deadLetter()}, then move
 * the consumer past the record.
 */
public final class DeadLetter {

  /** Longest error text kept in the {@link EventHeaders#DLQ_ERROR} header, in characters. */
  public static final int MAX_ERROR_LENGTH = 2000;

  private DeadLetter() {}

  /**
   * Builds the dead-letter record of a record that was read but could not be processed.
   *
   * @param deadLetterTopic the dead-letter topic name
   * @param source the record, as raw bytes
   * @param consumerGroup the group that gave up on it
   * @param error why it could not be processed
   * @return the record to send
   */
  public static ProducerRecord<byte[], byte[]> record(
      String deadLetterTopic,
      ConsumerRecord<byte[], byte[]> source,
      String consumerGroup,
      Throwable error) {
    Headers headers = copy(source.headers());
    addProvenance(headers, source.topic(), source.partition(), source.offset(), consumerGroup);
    EventHeaders.set(headers, EventHeaders.DLQ_ERROR, describe(error));
    return new ProducerRecord<>(deadLetterTopic, null, source.key(), source.value(), headers);
  }

  /**
   * Builds the dead-letter record of a record a typed consumer could not deserialize; Kafka's
   * exception carries the record's position, headers and raw bytes.
   *
   * @param deadLetterTopic the dead-letter topic name
   * @param failure the exception thrown by {@code poll}
   * @param consumerGroup the group that gave up on the record
   * @return the record to send
   */
  public static ProducerRecord<byte[], byte[]> record(
      String deadLetterTopic, RecordDeserializationException failure, String consumerGroup) {
    Headers headers = copy(failure.headers());
    String topic = failure.topicPartition().topic();
    int partition = failure.topicPartition().partition();
    addProvenance(headers, topic, partition, failure.offset(), consumerGroup);
    EventHeaders.set(headers, EventHeaders.DLQ_ERROR, describe(failure.getCause()));
    return new ProducerRecord<>(
        deadLetterTopic, null, bytes(failure.keyBuffer()), bytes(failure.valueBuffer()), headers);
  }

  /**
   * Builds the dead-letter record of a hook call whose tries are used up: the step event the hook
   * fired for (key, value and headers as read), its position, and which hook call it was, so that
   * it can be fired again from this record alone.
   *
   * @param deadLetterTopic the dead-letter topic name
   * @param source the step event the hook fired for, as raw bytes
   * @param consumerGroup the hooks-runner group that gave up
   * @param hookName the hook
   * @param idempotencyKey the call's idempotency key
   * @param tries how many tries the call had
   * @param error the last try's error, as type and message
   * @return the record to send
   */
  public static ProducerRecord<byte[], byte[]> hookCall(
      String deadLetterTopic,
      ConsumerRecord<byte[], byte[]> source,
      String consumerGroup,
      String hookName,
      String idempotencyKey,
      int tries,
      String error) {
    Headers headers = copy(source.headers());
    addProvenance(headers, source.topic(), source.partition(), source.offset(), consumerGroup);
    EventHeaders.set(headers, EventHeaders.DLQ_ERROR, bounded(error));
    EventHeaders.set(headers, EventHeaders.DLQ_HOOK_NAME, hookName);
    EventHeaders.set(headers, EventHeaders.DLQ_HOOK_KEY, idempotencyKey);
    EventHeaders.set(headers, EventHeaders.DLQ_HOOK_TRIES, Integer.toString(tries));
    return new ProducerRecord<>(deadLetterTopic, null, source.key(), source.value(), headers);
  }

  private static void addProvenance(
      Headers headers, String topic, int partition, long offset, String consumerGroup) {
    EventHeaders.set(headers, EventHeaders.DLQ_SOURCE_TOPIC, topic);
    EventHeaders.set(headers, EventHeaders.DLQ_SOURCE_PARTITION, Integer.toString(partition));
    EventHeaders.set(headers, EventHeaders.DLQ_SOURCE_OFFSET, Long.toString(offset));
    EventHeaders.set(headers, EventHeaders.DLQ_CONSUMER_GROUP, String.valueOf(consumerGroup));
  }

  private static Headers copy(Headers source) {
    RecordHeaders copy = new RecordHeaders();
    if (source != null) {
      for (Header header : source) {
        copy.add(header.key(), header.value());
      }
    }
    return copy;
  }

  private static String describe(Throwable error) {
    if (error == null) {
      return "unknown";
    }
    return bounded(error.getClass().getName() + ": " + error.getMessage());
  }

  private static String bounded(String text) {
    return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    ByteBuffer view = buffer.duplicate();
    byte[] out = new byte[view.remaining()];
    view.get(out);
    return out;
  }
}
