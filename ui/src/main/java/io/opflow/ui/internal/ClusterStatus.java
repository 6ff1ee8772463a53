package io.opflow.ui.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * What the cluster page shows from Kafka itself, asked for when the page is: each role's consumer
 * group (state, members, lag) and how many records the dead-letter topic holds; and, from a {@link
 * DeadLetterFeed} that follows that topic, its records per source topic and the newest of them.
 */
public final class ClusterStatus implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Admin admin;
  private final List<String> groups;
  private final String deadLetterTopic;
  private final DeadLetterFeed deadLetterFeed;

  /**
   * Creates it.
   *
   * @param adminProps Admin client settings
   * @param groups the consumer groups to show
   * @param deadLetterTopic the dead-letter topic
   */
  public ClusterStatus(
      Map<String, Object> adminProps, List<String> groups, String deadLetterTopic) {
    this.admin = Admin.create(adminProps);
    this.groups = groups;
    this.deadLetterTopic = deadLetterTopic;
    this.deadLetterFeed = new DeadLetterFeed(adminProps, deadLetterTopic);
  }

  /**
   * One consumer group.
   *
   * @param id the group id
   * @param state its state, as the broker says
   * @param members how many members it has
   * @param lag records its members have not consumed yet, summed over its partitions
   */
  record Group(String id, String state, int members, long lag) {}

  /**
   * The whole answer; {@code problem} says what could not be read, if anything.
   *
   * @param groups each group asked for
   * @param deadLetters records in the dead-letter topic, or -1 when unknown
   * @param problem what went wrong, or empty
   * @param deadLetterDetail the dead letters read so far, per source topic and the newest
   */
  record Snapshot(
      List<Group> groups,
      long deadLetters,
      String problem,
      DeadLetterFeed.Snapshot deadLetterDetail) {}

  /** Asks Kafka, waiting at most 5 s for each answer. */
  Snapshot read() {
    List<Group> found = new ArrayList<>();
    var described = admin.describeConsumerGroups(groups).describedGroups();
    try {
      for (String id : groups) {
        found.add(group(id, described.get(id)));
      }
      return new Snapshot(found, deadLetters(), "", deadLetterFeed.snapshot());
    } catch (ExecutionException | TimeoutException e) {
      return new Snapshot(
          found, -1, "Kafka did not answer: " + e.getMessage(), deadLetterFeed.snapshot());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Snapshot(found, -1, "interrupted", deadLetterFeed.snapshot());
    }
  }

  private Group group(String id, KafkaFuture<ConsumerGroupDescription> description)
      throws ExecutionException, InterruptedException, TimeoutException {
    try {
      ConsumerGroupDescription group = description.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return new Group(id, group.groupState().toString(), group.members().size(), lag(id));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return new Group(id, "NOT FOUND", 0, 0);
      }
      throw e;
    }
  }

  private long lag(String group) throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (committed.isEmpty()) {
      return 0;
    }
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    committed.keySet().forEach(p -> latest.put(p, OffsetSpec.latest()));
    Map<TopicPartition, ListOffsetsResultInfo> ends =
        admin.listOffsets(latest).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    long lag = 0;
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
      ListOffsetsResultInfo end = ends.get(e.getKey());
      if (end != null && e.getValue() != null) {
        lag += Math.max(0, end.offset() - e.getValue().offset());
      }
    }
    return lag;
  }

  private long deadLetters() throws ExecutionException, InterruptedException, TimeoutException {
    TopicDescription topic =
        admin
            .describeTopics(List.of(deadLetterTopic))
            .allTopicNames()
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .get(deadLetterTopic);
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    topic
        .partitions()
        .forEach(
            p -> {
              TopicPartition tp = new TopicPartition(deadLetterTopic, p.partition());
              earliest.put(tp, OffsetSpec.earliest());
              latest.put(tp, OffsetSpec.latest());
            });
    long count = 0;
    for (ListOffsetsResultInfo end : admin.listOffsets(latest).all().get().values()) {
      count += end.offset();
    }
    for (ListOffsetsResultInfo start : admin.listOffsets(earliest).all().get().values()) {
      count -= start.offset();
    }
    return count;
  }

  @Override
  public void close() {
    admin.close(TIMEOUT);
    try {
      deadLetterFeed.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
