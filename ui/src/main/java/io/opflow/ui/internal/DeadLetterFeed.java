package io.opflow.ui.internal;

import io.opflow.client.spi.EventConsumer;
import io.opflow.schemas.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the dead-letter topic's headers from its beginning, on its own thread: how many records
 * came from each source topic, and the newest few with where they came from and why. Memory stays
 * bounded: a count per source topic and {@value #RECENT} entries. The records' values (the bytes
 * that could not be handled) are never read into the page.
 */
final class DeadLetterFeed implements AutoCloseable {
  /** How many of the newest dead letters are kept for the page. */
  static final int RECENT = 20;

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterFeed.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration WAIT_FOR_TOPIC = Duration.ofSeconds(5);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final Thread thread;
  private final Map<String, Long> bySource = new TreeMap<>();
  private final Deque<DeadLetter> recent = new ArrayDeque<>();

  /**
   * One dead letter, as its headers describe it.
   *
   * @param at when it was written, epoch millis
   * @param sourceTopic the topic the record came from
   * @param source its partition and offset there, as {@code partition@offset}
   * @param consumerGroup the group of the role that gave up on it, or empty
   * @param hookName the hook whose call gave up, or empty
   * @param error why it was dead-lettered
   */
  record DeadLetter(
      long at,
      String sourceTopic,
      String source,
      String consumerGroup,
      String hookName,
      String error) {}

  /**
   * What the page shows.
   *
   * @param bySource records per source topic, by topic name
   * @param recent the newest dead letters, newest first
   */
  record Snapshot(Map<String, Long> bySource, List<DeadLetter> recent) {}

  DeadLetterFeed(Map<String, Object> kafkaProps, String topic) {
    Map<String, Object> props = new HashMap<>(EventConsumer.consumerProps(kafkaProps));
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "opflow-ui-dead-letters");
    this.consumer = new KafkaConsumer<>(props);
    this.topic = topic;
    this.thread = new Thread(this::run, "opflow-ui-dead-letters");
    thread.setDaemon(true);
    thread.start();
  }

  synchronized Snapshot snapshot() {
    List<DeadLetter> newestFirst = new ArrayList<>(recent);
    java.util.Collections.reverse(newestFirst);
    return new Snapshot(Map.copyOf(bySource), newestFirst);
  }

  private void run() {
    try {
      assign();
      while (!Thread.currentThread().isInterrupted()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          add(record);
        }
      }
    } catch (WakeupException | InterruptedException stopping) {
      // close() was called
    } catch (RuntimeException e) {
      LOG.warn("The UI stopped reading the dead-letter topic {}: {}", topic, e.toString());
    } finally {
      consumer.close();
    }
  }

  private void assign() throws InterruptedException {
    while (true) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic);
      if (infos != null && !infos.isEmpty()) {
        List<TopicPartition> partitions =
            infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return;
      }
      Thread.sleep(WAIT_FOR_TOPIC.toMillis());
    }
  }

  private synchronized void add(ConsumerRecord<byte[], byte[]> record) {
    String source = header(record, EventHeaders.DLQ_SOURCE_TOPIC);
    String sourceTopic = source.isEmpty() ? "(unknown)" : source;
    bySource.merge(sourceTopic, 1L, Long::sum);
    if (recent.size() >= RECENT) {
      recent.removeFirst();
    }
    recent.addLast(
        new DeadLetter(
            record.timestamp(),
            sourceTopic,
            header(record, EventHeaders.DLQ_SOURCE_PARTITION)
                + "@"
                + header(record, EventHeaders.DLQ_SOURCE_OFFSET),
            header(record, EventHeaders.DLQ_CONSUMER_GROUP),
            header(record, EventHeaders.DLQ_HOOK_NAME),
            header(record, EventHeaders.DLQ_ERROR)));
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null
        ? ""
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    consumer.wakeup();
    thread.join(Duration.ofSeconds(10).toMillis());
  }
}
