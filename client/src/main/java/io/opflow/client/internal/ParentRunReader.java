package io.opflow.client.internal;

import io.opflow.client.spi.EventConsumer;
import io.opflow.events.RunCanceled;
import io.opflow.events.RunEvent;
import io.opflow.events.RunFailed;
import io.opflow.events.RunSucceeded;
import io.opflow.events.StepEvent;
import io.opflow.events.StepSucceeded;
import io.opflow.protocol.RunCommand;
import io.opflow.protocol.RunRequested;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.OpflowTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads one run's request, step successes and end from the topics. Opflow's topics are
 * co-partitioned by run id, so it reads the one partition of {@code runs}, {@code step-events} and
 * {@code run-events} that holds the run, from the beginning up to their ends when it starts.
 */
public final class ParentRunReader {
  private ParentRunReader() {}

  /**
   * Reads a run.
   *
   * @param kafkaProps Kafka client properties
   * @param topics the topic names
   * @param runId the run
   * @param timeout how long reading may take at most
   * @return the run, with a null request when the runs topic does not hold it
   */
  public static ParentRun read(
      Map<String, Object> kafkaProps, OpflowTopics topics, String runId, Duration timeout) {
    byte[] key = runId.getBytes(StandardCharsets.UTF_8);
    Fold fold = new Fold(runId, topics);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(EventConsumer.consumerProps(kafkaProps))) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(topics.runs(), topics.stepEvents(), topics.runEvents())) {
        int count = consumer.partitionsFor(topic, timeout).size();
        partitions.add(new TopicPartition(topic, Utils.toPositive(Utils.murmur2(key)) % count));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!reached(consumer, ends)) {
        if (System.nanoTime() > deadline) {
          throw new org.apache.kafka.common.errors.TimeoutException(
              "Reading run " + runId + " took longer than " + timeout);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key() != null && r.value() != null && Arrays.equals(r.key(), key)) {
            fold.add(r);
          }
        }
      }
    }
    return fold.result();
  }

  private static boolean reached(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
    return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  /** Folds the run's records into a {@link ParentRun}; records it cannot decode are skipped. */
  private static final class Fold {
    private final String runId;
    private final OpflowTopics topics;
    private RunRequested request;
    private final Map<String, Map<String, String>> succeeded = new LinkedHashMap<>();
    private String endStatus;

    Fold(String runId, OpflowTopics topics) {
      this.runId = runId;
      this.topics = topics;
    }

    void add(ConsumerRecord<byte[], byte[]> r) {
      try {
        if (r.topic().equals(topics.runs())) {
          addCommand(OpflowSerdes.runCommands().deserialize(r.topic(), r.value()));
        } else if (r.topic().equals(topics.stepEvents())) {
          addStep(OpflowSerdes.stepEvents().deserialize(r.topic(), r.value()));
        } else {
          addRun(OpflowSerdes.runEvents().deserialize(r.topic(), r.value()));
        }
      } catch (RuntimeException undecodable) {
        // Poison records are the dead-letter topic's concern; they say nothing about this run.
      }
    }

    private void addCommand(RunCommand command) {
      if (command.getPayload() instanceof RunRequested requested
          && requested.getRunId().equals(runId)
          && request == null) {
        request = requested;
      }
    }

    private void addStep(StepEvent event) {
      if (event.getPayload() instanceof StepSucceeded success) {
        succeeded.put(event.getStepKey(), Map.copyOf(success.getOutputsJson()));
      }
    }

    private void addRun(RunEvent event) {
      Object payload = event.getPayload();
      if (payload instanceof RunSucceeded) {
        endStatus = "SUCCEEDED";
      } else if (payload instanceof RunFailed) {
        endStatus = "FAILED";
      } else if (payload instanceof RunCanceled) {
        endStatus = "CANCELED";
      }
    }

    ParentRun result() {
      return new ParentRun(request, Map.copyOf(succeeded), endStatus);
    }
  }
}
