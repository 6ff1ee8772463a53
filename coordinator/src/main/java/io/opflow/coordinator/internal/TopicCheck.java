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
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates missing topics and checks that {@code runs} and {@code step-events} are co-partitioned.
 */
public final class TopicCheck {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final long RETRY_BACKOFF_MS = 100;

  private TopicCheck() {}

  /**
   * Creates every missing Opflow topic and fails fast unless {@code runs} and {@code step-events}
   * have the same number of partitions.
   *
   * @param topics the topics
   * @param adminConfig Admin client settings
   * @return the partition count of {@code step-tasks}
   * @throws IllegalStateException if the two topics differ in partitions
   */
  public static int ensureTopics(OpflowTopics topics, Map<String, Object> adminConfig) {
    try (Admin admin = Admin.create(adminConfig);
        TopicAdmin topicAdmin = TopicAdmin.using(admin, TIMEOUT)) {
      topicAdmin.ensureTopics(topics);
      Map<String, TopicDescription> described = describe(admin, topics);
      checkCoPartitioned(described, topics);
      return described.get(topics.stepTasks()).partitions().size();
    }
  }

  private static void checkCoPartitioned(
      Map<String, TopicDescription> described, OpflowTopics topics) {
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

  // A topic created a moment ago may not be known to every broker yet: retry until the timeout.
  private static Map<String, TopicDescription> describe(Admin admin, OpflowTopics topics) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      try {
        return await(
            admin
                .describeTopics(List.of(topics.runs(), topics.stepEvents(), topics.stepTasks()))
                .allTopicNames());
      } catch (KafkaException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        pause();
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(RETRY_BACKOFF_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while describing topics", e);
    }
  }

  private static <V> V await(org.apache.kafka.common.KafkaFuture<V> future) {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while describing topics", e);
    } catch (ExecutionException e) {
      throw new KafkaException("cannot describe topics: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaException("describing topics took longer than " + TIMEOUT, e);
    }
  }
}
