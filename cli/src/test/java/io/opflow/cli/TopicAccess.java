package io.opflow.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.opflow.schemas.AvroEventSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What the secured-cluster tests do to a topic directly: write as a client, read as the admin. */
final class TopicAccess {
  private TopicAccess() {}

  /** Writes one record as a client; throws what the broker refused. */
  static void write(Map<String, Object> asClient, String topic) throws Exception {
    Map<String, Object> props = new HashMap<>(asClient);
    props.put("max.block.ms", 10_000);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer
          .send(new ProducerRecord<>(topic, "k".getBytes(UTF_8), "v".getBytes(UTF_8)))
          .get(10, TimeUnit.SECONDS);
    }
  }

  /** Reads every committed event of a topic, from its beginning to its end now. */
  static <T extends SpecificRecord> List<T> readAll(
      Map<String, Object> asAdmin, String topic, AvroEventSerde<T> serde) {
    List<T> events = new ArrayList<>();
    Map<String, Object> props = new HashMap<>(asAdmin);
    props.put("isolation.level", "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() != null) {
            events.add(serde.deserialize(topic, record.value()));
          }
        }
      }
    }
    return events;
  }
}
