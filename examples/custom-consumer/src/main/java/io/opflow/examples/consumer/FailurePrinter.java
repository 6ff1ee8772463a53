package io.opflow.examples.consumer;

import io.opflow.events.ErrorInfo;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.schemas.EventHeaders;
import io.opflow.schemas.OpflowTopics;
import io.opflow.schemas.StepEventDeserializer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A custom consumer of Opflow step events that prints every failed step attempt.
 *
 * <p>It needs nothing of Opflow but the {@code opflow-schemas} jar: a plain {@link KafkaConsumer}
 * with its own group id reads {@code opflow.step-events}, skips other events by the {@link
 * EventHeaders#EVENT_TYPE} header without decoding them, and skips (with a warning) records it
 * cannot decode instead of stopping. It reads only committed records ({@code
 * isolation.level=read_committed}): the coordinator writes in Kafka transactions, and the events of
 * an aborted one never happened.
 *
 * <p>Run: {@code java -cp ... io.opflow.examples.consumer.FailurePrinter [bootstrap] [prefix]}.
 */
public final class FailurePrinter {

  /** Group id of this consumer; custom consumers must not share a group with Opflow roles. */
  public static final String GROUP_ID = "opflow-example-failure-printer";

  private static final Logger LOG = LoggerFactory.getLogger(FailurePrinter.class);

  private FailurePrinter() {}

  /**
   * Prints failures until the process is stopped.
   *
   * @param args optional bootstrap servers (default {@code localhost:9092}) and topic prefix
   */
  public static void main(String[] args) {
    String bootstrap = args.length > 0 ? args[0] : "localhost:9092";
    String prefix = args.length > 1 ? args[1] : OpflowTopics.DEFAULT_PREFIX;
    try (KafkaConsumer<String, StepEvent> consumer =
        new KafkaConsumer<>(consumerConfig(bootstrap, GROUP_ID))) {
      Thread main = Thread.currentThread();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(consumer, main)));
      consumer.subscribe(List.of(OpflowTopics.withPrefix(prefix).stepEvents()));
      printFailures(consumer, System.out, Duration.ofDays(36_500), Long.MAX_VALUE);
    } catch (WakeupException stopping) {
      LOG.info("Stopped");
    }
  }

  /**
   * Returns consumer settings that name Opflow's deserializer by class, as any Kafka client would,
   * and read only committed records.
   *
   * @param bootstrapServers the cluster to read from
   * @param groupId the consumer group
   * @return consumer properties
   */
  public static Map<String, Object> consumerConfig(String bootstrapServers, String groupId) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Never act on events of an aborted transaction (Kafka's default is read_uncommitted).
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StepEventDeserializer.class.getName());
    return config;
  }

  /**
   * Polls a subscribed consumer and prints one line per failed step attempt.
   *
   * @param consumer a consumer subscribed to the step-events topic
   * @param out where lines go
   * @param maxDuration stop after this long
   * @param maxFailures stop after printing this many failures
   * @return how many failures were printed
   */
  public static long printFailures(
      Consumer<String, StepEvent> consumer,
      PrintStream out,
      Duration maxDuration,
      long maxFailures) {
    long start = System.nanoTime();
    long printed = 0;
    while (printed < maxFailures && System.nanoTime() - start < maxDuration.toNanos()) {
      printed += pollOnce(consumer, out);
    }
    return printed;
  }

  /**
   * Formats one failure as a line.
   *
   * @param event the step event
   * @param failed its payload
   * @return run, step, attempt, error type and message
   */
  public static String describe(StepEvent event, StepFailed failed) {
    ErrorInfo error = failed.getError();
    return String.format(
        "FAILED run=%s step=%s attempt=%d error=%s: %s",
        event.getRunId(),
        event.getStepKey(),
        event.getAttempt(),
        error.getType(),
        error.getMessage());
  }

  private static int pollOnce(Consumer<String, StepEvent> consumer, PrintStream out) {
    int printed = 0;
    try {
      for (ConsumerRecord<String, StepEvent> record : consumer.poll(Duration.ofMillis(200))) {
        printed += print(record, out);
      }
    } catch (RecordDeserializationException undecodable) {
      LOG.warn("Skipping an undecodable record: {}", undecodable.getMessage());
      consumer.seek(undecodable.topicPartition(), undecodable.offset() + 1);
    }
    return printed;
  }

  private static int print(ConsumerRecord<String, StepEvent> record, PrintStream out) {
    boolean failure = EventHeaders.eventType(record.headers()).orElse("").equals("StepFailed");
    if (failure && record.value().getPayload() instanceof StepFailed failed) {
      out.println(describe(record.value(), failed));
      return 1;
    }
    return 0;
  }

  private static void stop(KafkaConsumer<String, StepEvent> consumer, Thread main) {
    consumer.wakeup();
    try {
      main.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
