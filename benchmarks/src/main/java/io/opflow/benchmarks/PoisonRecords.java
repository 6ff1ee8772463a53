package io.opflow.benchmarks;

import io.opflow.schemas.EventHeaders;
import io.opflow.schemas.OpflowTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Poison for the fault matrix: records no Opflow role can decode (bytes that are no Avro event, and
 * a record with no value) written to every Opflow topic, and a check that each topic a role decodes
 * dead-lettered them.
 */
final class PoisonRecords {
  private static final Duration READ_DEAD_LETTERS = Duration.ofSeconds(10);

  private final String bootstrapServers;
  private final OpflowTopics topics = OpflowTopics.defaults();
  private final String keyPrefix = "poison-" + UUID.randomUUID();

  PoisonRecords(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /** Writes the poison: one undecodable and one empty record to each Opflow topic. */
  void send() throws InterruptedException, ExecutionException {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.ACKS_CONFIG,
            "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (String topic : allTopics()) {
        producer
            .send(record(topic, "garbage", "not an Avro event".getBytes(StandardCharsets.UTF_8)))
            .get();
        producer.send(record(topic, "empty", null)).get();
      }
      producer.flush();
    }
  }

  /**
   * Returns the poison records that should have been dead-lettered and were not: those on the
   * topics whose every record some role decodes (runs and step-events by the coordinator, step
   * tasks by the workers, step events by the hooks-runners).
   */
  List<String> notDeadLettered() {
    Set<String> dead = deadLetteredKeys();
    List<String> missing = new ArrayList<>();
    for (String topic : List.of(topics.runs(), topics.stepTasks(), topics.stepEvents())) {
      for (String kind : List.of("garbage", "empty")) {
        if (!dead.contains(topic + " " + key(topic, kind))) {
          missing.add(kind + " record on " + topic);
        }
      }
    }
    return missing;
  }

  private List<String> allTopics() {
    return List.of(
        topics.runs(),
        topics.stepTasks(),
        topics.stepEvents(),
        topics.runEvents(),
        topics.hookEvents());
  }

  private ProducerRecord<byte[], byte[]> record(String topic, String kind, byte[] value) {
    return new ProducerRecord<>(topic, key(topic, kind).getBytes(StandardCharsets.UTF_8), value);
  }

  private String key(String topic, String kind) {
    return keyPrefix + "/" + topic + "/" + kind;
  }

  // "source-topic key" of every dead letter written for this poison.
  private Set<String> deadLetteredKeys() {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest");
    Set<String> keys = new LinkedHashSet<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topics.deadLetter()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + READ_DEAD_LETTERS.toNanos();
      while (System.nanoTime() < deadline && !reached(consumer, ends)) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
          if (key.startsWith(keyPrefix)) {
            EventHeaders.lastValue(r.headers(), EventHeaders.DLQ_SOURCE_TOPIC)
                .ifPresent(topic -> keys.add(topic + " " + key));
          }
        }
      }
    }
    return keys;
  }

  private static boolean reached(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
    return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }
}
