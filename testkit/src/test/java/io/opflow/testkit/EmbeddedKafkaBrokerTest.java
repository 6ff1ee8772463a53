package io.opflow.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmbeddedKafkaBrokerTest {

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  @Test
  void producesAndConsumesThroughTheBroker() throws Exception {
    kafka.broker().createTopics(1, "greetings");
    Map<String, Object> producerConfig =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.LINGER_MS_CONFIG,
            0);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("greetings", "k", "hello")).get();
    }
    Map<String, Object> consumerConfig =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "test",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("greetings"));
      ConsumerRecords<String, String> records = ConsumerRecords.empty();
      while (records.isEmpty()) {
        records = consumer.poll(Duration.ofMillis(200));
      }
      ConsumerRecord<String, String> record = records.iterator().next();
      assertThat(record.value()).isEqualTo("hello");
    }
  }

  @Test
  void consumerProtocolGroupsWork() throws Exception {
    kafka.broker().createTopics(1, "kip848");
    Map<String, Object> producerConfig =
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("kip848", "k", "hello")).get();
    }
    Map<String, Object> consumerConfig =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "kip848-group",
            ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, String> consumer =
            new KafkaConsumer<>(
                consumerConfig, new StringDeserializer(), new StringDeserializer());
        Admin admin = Admin.create(kafka.broker().adminConfig())) {
      consumer.subscribe(List.of("kip848"));
      ConsumerRecords<String, String> records = ConsumerRecords.empty();
      while (records.isEmpty()) {
        records = consumer.poll(Duration.ofMillis(200));
      }
      ConsumerGroupDescription group =
          admin.describeConsumerGroups(List.of("kip848-group")).all().get().get("kip848-group");
      assertThat(group.type()).isEqualTo(GroupType.CONSUMER);
      ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
      Config config = admin.describeConfigs(List.of(broker)).all().get().get(broker);
      assertThat(config.get("group.consumer.heartbeat.interval.ms").value()).isEqualTo("500");
    }
  }

  @Test
  void refusesUseBeforeStart() {
    KafkaBrokerExtension notStarted = new KafkaBrokerExtension();
    org.assertj.core.api.Assertions.assertThatIllegalStateException()
        .isThrownBy(notStarted::bootstrapServers)
        .withMessageContaining("static field");
  }
}
