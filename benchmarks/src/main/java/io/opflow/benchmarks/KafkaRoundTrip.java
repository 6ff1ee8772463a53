package io.opflow.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;

/**
 * The floor Opflow is measured against: two Kafka hops (request topic, echo, reply topic) with
 * 8-byte payloads, {@code linger.ms=0} and {@code acks=all}, on the same broker. One step of an
 * Opflow chain costs at least this much: task out to a worker, result back.
 *
 * <p>Its clients' ids start with {@code bench-floor-}, so that their threads count as the
 * benchmark's in the CPU per role.
 */
final class KafkaRoundTrip {
  private static final AtomicInteger CLIENTS = new AtomicInteger();
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);
  private final String bootstrapServers;
  private final AtomicReference<Exception> sendFailure = new AtomicReference<>();

  KafkaRoundTrip(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /** Measures {@code count} sequential round trips on one chain; returns microseconds. */
  Histogram latency(int count) throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String requests = "bench.requests." + suffix;
    String replies = "bench.replies." + suffix;
    createTopics(requests, replies);
    Histogram histogram = new Histogram(3);
    try (Echo echo = new Echo(requests, replies);
        KafkaProducer<Long, byte[]> producer = producer();
        KafkaConsumer<Long, byte[]> consumer = consumer(replies)) {
      for (int i = 0; i < count + count / 10; i++) {
        long start = System.nanoTime();
        producer.send(new ProducerRecord<>(requests, (long) i, new byte[8])).get();
        awaitReply(consumer);
        if (i >= count / 10) {
          histogram.recordValue((System.nanoTime() - start) / 1_000);
        }
      }
    }
    return histogram;
  }

  /**
   * Keeps {@code chains} round trips in flight for {@code duration} and returns round trips per
   * second.
   */
  double throughput(int chains, Duration duration) throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String requests = "bench.requests." + suffix;
    String replies = "bench.replies." + suffix;
    createTopics(requests, replies);
    try (Echo echo = new Echo(requests, replies);
        KafkaProducer<Long, byte[]> producer = producer();
        KafkaConsumer<Long, byte[]> consumer = consumer(replies)) {
      for (long chain = 0; chain < chains; chain++) {
        sendNoWait(producer, new ProducerRecord<>(requests, chain, new byte[8]));
      }
      long completed = 0;
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      while (System.nanoTime() < end) {
        for (ConsumerRecord<Long, byte[]> reply : consumer.poll(Duration.ofMillis(10))) {
          completed++;
          sendNoWait(producer, new ProducerRecord<>(requests, reply.key(), reply.value()));
        }
      }
      double perSecond = completed / ((System.nanoTime() - start) / 1e9);
      Exception failed = sendFailure.get();
      if (failed != null) {
        throw new IllegalStateException("a round trip's send failed", failed);
      }
      return perSecond;
    }
  }

  /** Sends without waiting; a send that fails is kept, so that the figure is refused. */
  private void sendNoWait(
      KafkaProducer<Long, byte[]> producer, ProducerRecord<Long, byte[]> record) {
    Future<RecordMetadata> unused =
        producer.send(
            record,
            (metadata, error) -> {
              if (error != null) {
                sendFailure.compareAndSet(null, error);
              }
            });
  }

  /** Echoes every request to the reply topic on its own thread until closed. */
  private final class Echo implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    Echo(String requests, String replies) {
      KafkaConsumer<Long, byte[]> consumer = consumer(requests);
      KafkaProducer<Long, byte[]> producer = producer();
      thread = new Thread(() -> run(consumer, producer, replies), "bench-floor-echo");
      thread.start();
    }

    private void run(
        KafkaConsumer<Long, byte[]> consumer,
        KafkaProducer<Long, byte[]> producer,
        String replies) {
      try (consumer;
          producer) {
        while (running.get()) {
          for (ConsumerRecord<Long, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
            sendNoWait(producer, new ProducerRecord<>(replies, record.key(), record.value()));
          }
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join();
    }
  }

  private void awaitReply(KafkaConsumer<Long, byte[]> consumer) {
    long end = System.nanoTime() + REPLY_TIMEOUT.toNanos();
    while (consumer.poll(Duration.ofMillis(100)).isEmpty()) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("no reply within " + REPLY_TIMEOUT);
      }
    }
  }

  private void createTopics(String... names) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of("bootstrap.servers", bootstrapServers, "client.id", clientId("admin")))) {
      admin
          .createTopics(
              java.util.Arrays.stream(names).map(n -> new NewTopic(n, 1, (short) 1)).toList())
          .all()
          .get();
    }
  }

  private KafkaProducer<Long, byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.CLIENT_ID_CONFIG,
            clientId("producer"),
            ProducerConfig.LINGER_MS_CONFIG,
            0,
            ProducerConfig.ACKS_CONFIG,
            "all"),
        new LongSerializer(),
        new ByteArraySerializer());
  }

  private KafkaConsumer<Long, byte[]> consumer(String topic) {
    KafkaConsumer<Long, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG,
                clientId("consumer"),
                ConsumerConfig.GROUP_ID_CONFIG,
                "bench-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "latest",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                1),
            new LongDeserializer(),
            new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    awaitAssignment(consumer);
    return consumer;
  }

  private static String clientId(String kind) {
    return "bench-floor-" + kind + "-" + CLIENTS.incrementAndGet();
  }

  private static void awaitAssignment(KafkaConsumer<?, ?> consumer) {
    while (consumer.assignment().isEmpty()) {
      consumer.poll(Duration.ofMillis(50));
    }
    // Resolve "latest" now: resolved lazily, it could land after the first record and skip it,
    // and a chain whose record was skipped never comes back.
    consumer.assignment().forEach(consumer::position);
  }
}
