package io.opflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.testkit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every event type and payload variant crosses a real broker through the serdes named in Kafka
 * properties, headers included; TopicAdmin creates and checks real topics.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EventsOnBrokerTest {

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  private static OpflowTopics topics;

  @BeforeAll
  static void createTopics() {
    topics = OpflowTopics.builder().prefix("it-events.").partitions(3).build();
    try (TopicAdmin admin = TopicAdmin.create(kafka.broker().adminConfig())) {
      assertThat(admin.ensureTopics(topics)).isEmpty();
      assertThat(admin.ensureTopics(topics)).as("second run finds everything in place").isEmpty();
    }
  }

  @Test
  void runCommandsCrossTheBroker() throws Exception {
    assertCrossesBroker(
        topics.runs(),
        RunCommandSerializer.class,
        RunCommandDeserializer.class,
        Fixtures.runCommands());
  }

  @Test
  void stepTasksCrossTheBroker() throws Exception {
    assertCrossesBroker(
        topics.stepTasks(),
        StepTaskSerializer.class,
        StepTaskDeserializer.class,
        Fixtures.stepTasks());
  }

  @Test
  void stepEventsCrossTheBroker() throws Exception {
    assertCrossesBroker(
        topics.stepEvents(),
        StepEventSerializer.class,
        StepEventDeserializer.class,
        Fixtures.stepEvents());
  }

  @Test
  void hookEventsCrossTheBroker() throws Exception {
    assertCrossesBroker(
        topics.hookEvents(),
        HookEventSerializer.class,
        HookEventDeserializer.class,
        Fixtures.hookEvents());
  }

  @Test
  void runEventsCrossTheBroker() throws Exception {
    assertCrossesBroker(
        topics.runEvents(),
        RunEventSerializer.class,
        RunEventDeserializer.class,
        Fixtures.runEvents());
  }

  @Test
  void topicAdminReportsTopicsWithOtherSettings() throws Exception {
    OpflowTopics expected = OpflowTopics.withPrefix("it-wrong.");
    try (Admin admin = Admin.create(kafka.broker().adminConfig())) {
      NewTopic wrong =
          new NewTopic(expected.runs(), 2, (short) 1).configs(Map.of("cleanup.policy", "compact"));
      admin.createTopics(List.of(wrong)).all().get();
    }
    try (TopicAdmin topicAdmin = TopicAdmin.create(kafka.broker().adminConfig())) {
      List<TopicMismatch> mismatches = topicAdmin.ensureTopics(expected);
      assertThat(mismatches)
          .containsExactlyInAnyOrder(
              new TopicMismatch(expected.runs(), "partitions", "6", "2"),
              new TopicMismatch(expected.runs(), "cleanup.policy", "delete", "compact"));
      assertThat(topicAdmin.check(expected.specs())).isEqualTo(mismatches);
    }
  }

  private <T extends SpecificRecord> void assertCrossesBroker(
      String topic, Class<?> serializer, Class<?> deserializer, List<T> events) throws Exception {
    produce(topic, serializer, events);
    List<ConsumerRecord<String, T>> received = consume(topic, deserializer, events.size());
    assertThat(received).extracting(ConsumerRecord::value).containsExactlyElementsOf(events);
    for (ConsumerRecord<String, T> record : received) {
      assertThat(record.key()).isEqualTo(Fixtures.RUN_ID);
      var headers = record.headers();
      assertThat(EventHeaders.runId(headers)).contains(Fixtures.RUN_ID);
      assertThat(EventHeaders.eventType(headers)).contains(eventType(record.value()));
      assertThat(EventHeaders.stepKey(headers))
          .isEqualTo(io.opflow.schemas.internal.RecordFields.stepKey(record.value()));
    }
  }

  private static String eventType(SpecificRecord record) {
    var payload = record.getSchema().getField("payload");
    Object value = payload == null ? record : record.get(payload.pos());
    return value.getClass().getSimpleName();
  }

  private static <T> void produce(String topic, Class<?> serializer, List<T> events)
      throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, serializer.getName());
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    try (KafkaProducer<String, T> producer = new KafkaProducer<>(config)) {
      for (T event : events) {
        producer.send(new ProducerRecord<>(topic, Fixtures.RUN_ID, event)).get();
      }
      producer.flush();
    }
  }

  private static <T> List<ConsumerRecord<String, T>> consume(
      String topic, Class<?> deserializer, int count) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, deserializer.getName());
    List<ConsumerRecord<String, T>> received = new ArrayList<>();
    try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      while (received.size() < count) {
        consumer.poll(Duration.ofMillis(200)).forEach(received::add);
      }
    }
    return received;
  }
}
