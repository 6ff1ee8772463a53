package io.opflow.runtime.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opflow.testkit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PollLoopTest {
  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  /** Takes every record and marks it done at once; can be held between two polls. */
  private static final class Recorder extends PollLoop {
    private final String topic;
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private final CountDownLatch taken = new CountDownLatch(1);
    private final CountDownLatch held = new CountDownLatch(1);

    Recorder(Consumer<byte[], byte[]> consumer, String topic) {
      super(consumer, Duration.ofSeconds(60));
      this.topic = topic;
    }

    @Override
    protected List<String> topics() {
      return List.of(topic);
    }

    // Commits nothing itself: the test is about the loop's own final commit.
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

    @Override
    protected void pollOnce() {
      consumer
          .poll(Duration.ofMillis(100))
          .forEach(
              record -> {
                take(record);
                markDone(record);
                taken.countDown();
              });
      markPolled();
      if (taken.getCount() == 0) {
        held.countDown();
        awaitQuietly(hold); // the loop is busy, not polling, when stop() comes
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"classic", "consumer"})
  void stopBetweenPollsStillCommitsWhatIsDone(String protocol) throws Exception {
    String topic = "poll-loop-" + UUID.randomUUID();
    String group = topic + "-group";
    kafka.broker().createTopics(1, topic);
    send(topic, 3);
    SpyConsumer spy = new SpyConsumer(props(group, protocol));
    Recorder loop = new Recorder(spy, topic);
    loop.hold = new CountDownLatch(1);
    Thread thread = new Thread(loop, "poll-loop-test");
    thread.start();
    assertThat(loop.held.await(30, TimeUnit.SECONDS)).isTrue();

    loop.stop(); // wakes a consumer that is not in poll()
    loop.hold.countDown();
    thread.join(30_000);

    assertThat(thread.isAlive()).isFalse();
    assertThat(spy.confirmed).as("a final commit the broker confirmed").contains(3L);
    assertThat(committed(group, new TopicPartition(topic, 0))).isEqualTo(3L);
  }

  @Test
  void failStopsTheLoopAndReportsUnhealthy() throws Exception {
    String topic = "poll-loop-" + UUID.randomUUID();
    kafka.broker().createTopics(1, topic);
    Recorder loop = new Recorder(consumer(topic + "-group", "classic"), topic);
    Thread thread = new Thread(loop, "poll-loop-test");
    thread.start();
    await().until(loop::isHealthy);

    loop.fail(new IllegalStateException("send failed for good"));
    thread.join(30_000);

    assertThat(thread.isAlive()).isFalse();
    assertThat(loop.isHealthy()).isFalse();
    assertThat(loop.failure()).hasMessage("send failed for good");
  }

  /** Records the offsets of synchronous commits that returned normally. */
  private static final class SpyConsumer extends KafkaConsumer<byte[], byte[]> {
    final List<Long> confirmed = new CopyOnWriteArrayList<>();

    SpyConsumer(Map<String, Object> props) {
      super(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
      super.commitSync(offsets);
      offsets.values().forEach(o -> confirmed.add(o.offset()));
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String group, String protocol) {
    return new KafkaConsumer<>(
        props(group, protocol), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static Map<String, Object> props(String group, String protocol) {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    props.put("group.id", group);
    props.put("group.protocol", protocol);
    props.put("enable.auto.commit", false);
    props.put("auto.offset.reset", "earliest");
    return props;
  }

  private static void send(String topic, int count) throws Exception {
    Map<String, Object> props = Map.of("bootstrap.servers", kafka.bootstrapServers());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, new byte[] {(byte) i})).get();
      }
    }
  }

  private static Long committed(String group, TopicPartition partition) throws Exception {
    try (Admin admin = Admin.create(kafka.broker().adminConfig())) {
      OffsetAndMetadata offset =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get()
              .get(partition);
      return offset == null ? null : offset.offset();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
