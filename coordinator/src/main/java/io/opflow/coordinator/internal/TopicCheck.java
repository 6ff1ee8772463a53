package io.opflow.coordinator.internal;

import io.opflow.schemas.OpflowTopics;
import io.opflow.schemas.TopicAdmin;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;

/**
 * Creates missing topics and checks that {@code runs} and {@code step-events} are co-partitioned.
 */
public final class TopicCheck {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private TopicCheck() {}

  /**
   * Creates every missing Opflow topic and fails fast unless {@code runs} and {@code step-events}
   * have the same number of partitions.
   *
   * @param topics the topics
   * @param adminConfig Admin client settings
   * @throws IllegalStateException if the two topics differ in partitions
   */
  public static void ensureTopics(OpflowTopics topics, Map<String, Object> adminConfig) {
    try (Admin admin = Admin.create(adminConfig);
        TopicAdmin topicAdmin = TopicAdmin.using(admin, TIMEOUT)) {
      topicAdmin.ensureTopics(topics);
      checkCoPartitioned(admin, topics);
    }
  }

  private static void checkCoPartitioned(Admin admin, OpflowTopics topics) {
    Map<String, TopicDescription> described =
        await(admin.describeTopics(List.of(topics.runs(), topics.stepEvents())).allTopicNames());
    int runs = described.get(topics.runs()).partitions().size();
    int stepEvents = described.get(topics.stepEvents()).partitions().size();
    if (runs != stepEvents) {
      throw new IllegalStateException(
          "Topics '"
              + topics.runs()
              + "' ("
              + runs
              + " partitions) and '"
              + topics.stepEvents()
              + "' ("
              + stepEvents
              + " partitions) must have the same partition count: the coordinator reads both by"
              + " run id in one task per partition.");
    }
  }

  private static <V> V await(org.apache.kafka.common.KafkaFuture<V> future) {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while describing topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new KafkaException("cannot describe topics: " + e, e);
    }
  }
}
