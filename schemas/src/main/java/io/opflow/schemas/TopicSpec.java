package io.opflow.schemas;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The settings Opflow expects of one topic.
 *
 * @param name full topic name, prefix included
 * @param partitions partition count
 * @param replicationFactor replication factor
 * @param cleanupPolicy {@code cleanup.policy}, such as {@code delete}
 * @param retention {@code retention.ms}
 */
public record TopicSpec(
    String name,
    int partitions,
    short replicationFactor,
    String cleanupPolicy,
    Duration retention) {

  /**
   * Returns the topic-level configs of this spec.
   *
   * @return {@code cleanup.policy} and {@code retention.ms}
   */
  public Map<String, String> configs() {
    return Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG,
        cleanupPolicy,
        TopicConfig.RETENTION_MS_CONFIG,
        Long.toString(retention.toMillis()));
  }

  /**
   * Returns the Admin request that creates this topic.
   *
   * @return a new topic with partitions, replication factor and configs
   */
  public NewTopic toNewTopic() {
    return new NewTopic(name, partitions, replicationFactor).configs(configs());
  }
}
