package io.opflow.runtime.testing;

import io.opflow.schemas.AvroEventSerde;
import io.opflow.schemas.OpflowTopics;
import io.opflow.schemas.TopicAdmin;
import io.opflow.testkit.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Fresh topics under a unique prefix on a shared test broker, with raw producers and readers.
 * Shared by the worker and hooks-runner tests through this module's test jar.
 */
public final class TopicsFixture implements AutoCloseable {
  /** The topic names under this fixture's unique prefix. */
  public final OpflowTopics topics;

  private final EmbeddedKafkaBroker broker;
  private final KafkaProducer<byte[], byte[]> producer;

  /** Creates the topics on {@code broker}. */
  public TopicsFixture(EmbeddedKafkaBroker broker) {
    this.broker = broker;
    String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
    this.topics = OpflowTopics.builder().prefix(prefix).partitions(2).build();
    try (TopicAdmin admin = TopicAdmin.create(broker.adminConfig())) {
      admin.ensureTopics(topics);
    }
    this.producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", broker.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer());
  }

  /** Sends an event with its serde, headers included. */
  public <T extends SpecificRecord> void send(
      String topic, String key, T event, AvroEventSerde<T> serde) throws Exception {
    RecordHeaders headers = new RecordHeaders();
    byte[] value = serde.serialize(topic, headers, event);
    sendRaw(topic, key, value, headers);
  }

  /** Sends raw bytes, as a producer outside Opflow would. */
  public void sendRaw(String topic, String key, byte[] value, RecordHeaders headers)
      throws Exception {
    byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
    producer
        .send(new ProducerRecord<>(topic, null, keyBytes, value, headers))
        .get(10, TimeUnit.SECONDS);
  }

  /** Returns every record of a topic so far, all partitions. */
  /** Reads every record of a topic present now. */
  public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    Map<String, Object> props =
        Map.of("bootstrap.servers", broker.bootstrapServers(), "enable.auto.commit", false);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      for (PartitionInfo p : consumer.partitionsFor(topic)) {
        tps.add(new TopicPartition(topic, p.partition()));
      }
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps);
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        consumer.poll(Duration.ofMillis(100)).forEach(out::add);
      }
      return out;
    }
  }

  /** Reads and decodes every record of a topic present now. */
  public <T extends SpecificRecord> List<T> events(String topic, AvroEventSerde<T> serde) {
    return readAll(topic).stream().map(r -> serde.deserialize(topic, r.value())).toList();
  }

  @Override
  public void close() {
    producer.close();
  }
}
