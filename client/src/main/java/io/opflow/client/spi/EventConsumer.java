package io.opflow.client.spi;

import io.opflow.client.BrokerUnreachableException;
import io.opflow.client.RunUpdate;
import io.opflow.client.internal.Updates;
import io.opflow.events.HookEvent;
import io.opflow.events.RunEvent;
import io.opflow.events.StepEvent;
import io.opflow.schemas.AvroEventSerde;
import io.opflow.schemas.EventHeaders;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.OpflowTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads step, hook and run events from the beginning of every partition, with no consumer group,
 * and turns those of one run (or every run) into {@link RunUpdate}s.
 *
 * <p>It reads only committed records ({@code isolation.level=read_committed}, whatever the caller
 * passes): the coordinator writes in Kafka transactions, and an aborted transaction's events never
 * happened.
 */
public final class EventConsumer implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final OpflowTopics topics;
  private final String runId;
  private final Map<TopicPartition, Long> endsAtStart;
  private final AvroEventSerde<StepEvent> steps = OpflowSerdes.stepEvents();
  private final AvroEventSerde<HookEvent> hooks = OpflowSerdes.hookEvents();
  private final AvroEventSerde<RunEvent> runs = OpflowSerdes.runEvents();

  /**
   * Assigns every partition of the event topics and seeks to their beginning.
   *
   * @param kafkaProps Kafka client properties, at least {@code bootstrap.servers}
   * @param topics the topic names
   * @param runId the run to keep, or null for every run
   * @param eventTopics which topics to read
   * @param connectTimeout how long to wait for the broker to answer
   * @throws BrokerUnreachableException when the broker does not answer in time
   */
  public EventConsumer(
      Map<String, Object> kafkaProps,
      OpflowTopics topics,
      String runId,
      List<String> eventTopics,
      Duration connectTimeout) {
    this.consumer = create(kafkaProps);
    this.topics = topics;
    this.runId = runId;
    try {
      List<TopicPartition> partitions = partitions(eventTopics, connectTimeout);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      this.endsAtStart = consumer.endOffsets(partitions, connectTimeout);
    } catch (TimeoutException e) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      throw new BrokerUnreachableException(
          String.valueOf(kafkaProps.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)),
          connectTimeout,
          e);
    }
  }

  private static KafkaConsumer<byte[], byte[]> create(Map<String, Object> kafkaProps) {
    try {
      return new KafkaConsumer<>(consumerProps(kafkaProps));
    } catch (KafkaException e) {
      if (BrokerUnreachableException.isUnresolvable(e)) {
        throw BrokerUnreachableException.unresolvable(
            String.valueOf(kafkaProps.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)), e);
      }
      throw e;
    }
  }

  /**
   * Returns the consumer settings: the caller's, then no group, no auto commit, byte arrays, and
   * only committed records.
   *
   * @param kafkaProps the caller's Kafka client properties
   * @return the settings
   */
  public static Map<String, Object> consumerProps(Map<String, Object> kafkaProps) {
    Map<String, Object> props = new HashMap<>(kafkaProps);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return props;
  }

  private List<TopicPartition> partitions(List<String> eventTopics, Duration timeout) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : eventTopics) {
      for (PartitionInfo p : consumer.partitionsFor(topic, timeout)) {
        partitions.add(new TopicPartition(p.topic(), p.partition()));
      }
    }
    return partitions;
  }

  /**
   * Polls once.
   *
   * @param timeout how long to wait for records
   * @return the updates of the run, in the order read
   */
  public List<RunUpdate> poll(Duration timeout) {
    List<RunUpdate> updates = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
      Optional<String> id = EventHeaders.runId(r.headers());
      if (runId != null && id.isPresent() && !id.get().equals(runId)) {
        continue;
      }
      decode(r).filter(u -> runId == null || u.runId().equals(runId)).ifPresent(updates::add);
    }
    return updates;
  }

  /**
   * Returns whether every assigned partition has been read up to the end offset it had when this
   * consumer was created. The ends are fixed then on purpose: chasing ends that move would never
   * finish while a running step keeps heartbeating.
   *
   * @return true when caught up
   */
  public boolean caughtUp() {
    return reached(endsAtStart);
  }

  /**
   * Returns the end offsets of every assigned partition now: the last stable offsets, so every
   * record committed before this call lies below them.
   *
   * @return the end offset of each partition
   */
  public Map<TopicPartition, Long> endOffsetsNow() {
    return consumer.endOffsets(consumer.assignment());
  }

  /**
   * Returns whether every partition has been read up to the given offsets.
   *
   * @param offsets offsets from {@link #endOffsetsNow()}
   * @return true when each position is at or past its offset
   */
  public boolean reached(Map<TopicPartition, Long> offsets) {
    return offsets.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  private Optional<RunUpdate> decode(ConsumerRecord<byte[], byte[]> r) {
    if (r.value() == null) {
      return Optional.empty();
    }
    try {
      if (r.topic().equals(topics.stepEvents())) {
        return Optional.of(Updates.of(steps.deserialize(r.topic(), r.value())));
      } else if (r.topic().equals(topics.hookEvents())) {
        return Optional.of(Updates.of(hooks.deserialize(r.topic(), r.value())));
      }
      return Optional.of(Updates.of(runs.deserialize(r.topic(), r.value())));
    } catch (RuntimeException undecodable) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    consumer.close();
  }
}
