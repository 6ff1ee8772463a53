package io.opflow.containers;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.kafka.KafkaContainer;

/** The local Kafka image works as Testcontainers' apache/kafka. */
@RequiresDocker(images = OpflowImages.KAFKA)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KafkaContainerTest {

  private static final String TOPIC = "opflow.container-test";
  private static final String GROUP = "opflow-container-test";

  // "___" is "-", "__" is "_", "_" is "." in the apache/kafka contract.
  private static final KafkaContainer KAFKA =
      KafkaContainers.local().withEnv("KAFKA_OPFLOW___TEST__KEY_NAME", "escaped");

  @BeforeAll
  static void startBroker() {
    KAFKA.start();
  }

  @AfterAll
  static void stopBroker() {
    KAFKA.stop();
  }

  @Test
  void producedRecordIsConsumedByAConsumerGroup() throws Exception {
    try (Admin admin = Admin.create(clientConfig())) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get(30, SECONDS);

      try (KafkaProducer<String, String> producer = producer()) {
        producer.send(new ProducerRecord<>(TOPIC, "run-1", "step succeeded")).get(30, SECONDS);
      }
      List<ConsumerRecord<String, String>> received = consumeOneRecord();

      assertThat(received)
          .singleElement()
          .satisfies(r -> assertThat(r.key()).isEqualTo("run-1"))
          .satisfies(r -> assertThat(r.value()).isEqualTo("step succeeded"));
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(30, SECONDS);
      assertThat(committed.values()).extracting(OffsetAndMetadata::offset).contains(1L);
    }
  }

  @Test
  void kafkaVariablesBecomeBrokerProperties() throws Exception {
    String properties =
        KAFKA.execInContainer("cat", "/opt/kafka/config/server.properties").getStdout();

    assertThat(properties)
        .contains("opflow-test_key.name=escaped")
        .contains("offsets.topic.replication.factor=1")
        .contains("process.roles=broker,controller");
  }

  private static List<ConsumerRecord<String, String>> consumeOneRecord() {
    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = consumer()) {
      consumer.subscribe(List.of(TOPIC));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return !received.isEmpty();
              });
      consumer.commitSync();
    }
    return received;
  }

  private static Map<String, Object> clientConfig() {
    return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers());
  }

  private static KafkaProducer<String, String> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            KAFKA.getBootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all"),
        new StringSerializer(),
        new StringSerializer());
  }

  private static KafkaConsumer<String, String> consumer() {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            KAFKA.getBootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            GROUP,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            "false"),
        new StringDeserializer(),
        new StringDeserializer());
  }
}
