package io.opflow.examples.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.events.ErrorInfo;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepSucceeded;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.OpflowTopics;
import io.opflow.testkit.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FailurePrinterTest {

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  private static final Instant AT = Instant.ofEpochMilli(1_790_000_000_000L);

  @Test
  void printsFailuresSkippingSuccessesAndGarbage() throws Exception {
    String topic = OpflowTopics.defaults().stepEvents();
    kafka.broker().createTopics(1, topic);
    produceGarbage(topic);
    produceAborted(topic, event(new StepFailed(error("never happened"), 1L, Map.of())));
    produce(topic, event(new StepSucceeded(Map.of(), 5L, null)));
    produce(topic, event(new StepFailed(error("connection refused"), 7L, Map.of())));

    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Map<String, Object> config =
        FailurePrinter.consumerConfig(kafka.bootstrapServers(), FailurePrinter.GROUP_ID);
    long count;
    try (KafkaConsumer<String, StepEvent> consumer = new KafkaConsumer<>(config);
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      consumer.subscribe(List.of(topic));
      count = FailurePrinter.printFailures(consumer, out, Duration.ofSeconds(30), 1);
    }
    assertThat(config).containsEntry("isolation.level", "read_committed");
    assertThat(count).isEqualTo(1);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("run=run-1 step=load attempt=2")
        .contains("error=java.sql.SQLException: connection refused")
        .doesNotContain("StepSucceeded")
        .doesNotContain("never happened");
  }

  private static StepEvent event(Object payload) {
    return new StepEvent("run-1", "load", 2, "etl", "load", AT, payload, null);
  }

  private static ErrorInfo error(String message) {
    return new ErrorInfo("java.sql.SQLException", message, List.of(), null, true);
  }

  private static void produce(String topic, StepEvent event) throws Exception {
    try (var producer =
        new KafkaProducer<>(producerConfig(), new StringSerializer(), OpflowSerdes.stepEvents())) {
      producer.send(new ProducerRecord<>(topic, event.getRunId(), event)).get();
    }
  }

  /** A failure inside a transaction that is aborted: it never happened. */
  private static void produceAborted(String topic, StepEvent event) throws Exception {
    Map<String, Object> config = new java.util.HashMap<>(producerConfig());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "failure-printer-test");
    try (var producer =
        new KafkaProducer<>(config, new StringSerializer(), OpflowSerdes.stepEvents())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, event.getRunId(), event)).get();
      producer.abortTransaction();
    }
  }

  private static void produceGarbage(String topic) throws Exception {
    try (var producer =
        new KafkaProducer<>(producerConfig(), new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, "run-1", new byte[] {1, 2, 3})).get();
    }
  }

  private static Map<String, Object> producerConfig() {
    return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
  }
}
