package io.opflow.schemas;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Names and settings of every Opflow topic: the one place they are defined.
 *
 * <p>Names are a prefix (default {@value #DEFAULT_PREFIX}) followed by the topic's suffix, such as
 * {@code opflow.step-events}. Every topic uses cleanup policy {@code delete}; partitions default to
 * {@value #DEFAULT_PARTITIONS}, except {@code step-tasks} with {@value #DEFAULT_TASK_PARTITIONS},
 * and replication factor to {@value #DEFAULT_REPLICATION_FACTOR} (for development: use 3 in
 * production). {@code runs} and {@code step-events} must keep the same partition count, because the
 * coordinator joins them by run id.
 *
 * <pre>{@code
 * OpflowTopics topics = OpflowTopics.builder().prefix("prod.opflow.").replicationFactor(3).build();
 * String name = topics.stepEvents(); // "prod.opflow.step-events"
 * }</pre>
 */
public final class OpflowTopics {

  /** Default name prefix. */
  public static final String DEFAULT_PREFIX = "opflow.";

  /** Default partition count of every topic but {@code step-tasks}. */
  public static final int DEFAULT_PARTITIONS = 6;

  /**
   * Default partition count of {@code step-tasks}. Workers share its partitions, and a worker's
   * share of the tasks is its share of them: 12 splits evenly among 1, 2, 3, 4, 6 or 12 workers,
   * where 6 leaves two of four workers with twice the tasks of the others.
   */
  public static final int DEFAULT_TASK_PARTITIONS = 12;

  /** Default replication factor (fit for a single development broker). */
  public static final short DEFAULT_REPLICATION_FACTOR = 1;

  private final String prefix;
  private final Map<OpflowTopic, TopicSpec> specs;

  private OpflowTopics(Builder builder) {
    this.prefix = builder.prefix;
    Map<OpflowTopic, TopicSpec> map = new EnumMap<>(OpflowTopic.class);
    for (OpflowTopic topic : OpflowTopic.values()) {
      map.put(topic, builder.spec(topic));
    }
    this.specs = map;
  }

  /**
   * Returns the topics with every default.
   *
   * @return default names and settings
   */
  public static OpflowTopics defaults() {
    return builder().build();
  }

  /**
   * Returns the topics with default settings under another prefix.
   *
   * @param prefix the name prefix, such as {@code test-42.}
   * @return names and settings
   */
  public static OpflowTopics withPrefix(String prefix) {
    return builder().prefix(prefix).build();
  }

  /**
   * Starts a builder holding the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the prefix of every name.
   *
   * @return the prefix
   */
  public String prefix() {
    return prefix;
  }

  /**
   * Returns the full name of a topic.
   *
   * @param topic the topic
   * @return prefix plus suffix
   */
  public String name(OpflowTopic topic) {
    return specs.get(topic).name();
  }

  /**
   * Returns the expected settings of a topic.
   *
   * @param topic the topic
   * @return its spec
   */
  public TopicSpec spec(OpflowTopic topic) {
    return specs.get(topic);
  }

  /**
   * Returns the expected settings of every topic, in {@link OpflowTopic} order.
   *
   * @return every spec
   */
  public List<TopicSpec> specs() {
    return List.copyOf(specs.values());
  }

  /**
   * Returns the name of the {@code runs} topic.
   *
   * @return the name
   */
  public String runs() {
    return name(OpflowTopic.RUNS);
  }

  /**
   * Returns the name of the {@code step-tasks} topic.
   *
   * @return the name
   */
  public String stepTasks() {
    return name(OpflowTopic.STEP_TASKS);
  }

  /**
   * Returns the name of the {@code step-events} topic.
   *
   * @return the name
   */
  public String stepEvents() {
    return name(OpflowTopic.STEP_EVENTS);
  }

  /**
   * Returns the name of the {@code hook-events} topic.
   *
   * @return the name
   */
  public String hookEvents() {
    return name(OpflowTopic.HOOK_EVENTS);
  }

  /**
   * Returns the name of the {@code run-events} topic.
   *
   * @return the name
   */
  public String runEvents() {
    return name(OpflowTopic.RUN_EVENTS);
  }

  /**
   * Returns the name of the {@code dead-letter} topic.
   *
   * @return the name
   */
  public String deadLetter() {
    return name(OpflowTopic.DEAD_LETTER);
  }

  /** Builds {@link OpflowTopics}; every setting starts at its default. */
  public static final class Builder {
    private String prefix = DEFAULT_PREFIX;
    private Integer defaultPartitions;
    private short replicationFactor = DEFAULT_REPLICATION_FACTOR;
    private final Map<OpflowTopic, Integer> partitions = new EnumMap<>(OpflowTopic.class);
    private final Map<OpflowTopic, Duration> retention = new EnumMap<>(OpflowTopic.class);

    private Builder() {}

    /**
     * Sets the name prefix (default {@value OpflowTopics#DEFAULT_PREFIX}); may be empty.
     *
     * @param prefix the prefix
     * @return this builder
     */
    public Builder prefix(String prefix) {
      this.prefix = requireNonNull(prefix, "prefix");
      return this;
    }

    /**
     * Sets the partition count of every topic not set one by one, {@code step-tasks} included.
     *
     * @param count partitions, at least 1
     * @return this builder
     */
    public Builder partitions(int count) {
      this.defaultPartitions = positive(count, "partitions");
      return this;
    }

    /**
     * Sets the partition count of one topic.
     *
     * @param topic the topic
     * @param count partitions, at least 1
     * @return this builder
     */
    public Builder partitions(OpflowTopic topic, int count) {
      partitions.put(topic, positive(count, "partitions of " + topic));
      return this;
    }

    /**
     * Sets the replication factor of every topic.
     *
     * @param factor replicas, at least 1
     * @return this builder
     */
    public Builder replicationFactor(int factor) {
      this.replicationFactor = (short) positive(factor, "replicationFactor");
      return this;
    }

    /**
     * Sets the retention of one topic.
     *
     * @param topic the topic
     * @param duration how long records are kept, positive
     * @return this builder
     */
    public Builder retention(OpflowTopic topic, Duration duration) {
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("retention of " + topic + " must be positive");
      }
      retention.put(topic, duration);
      return this;
    }

    /**
     * Builds the topics.
     *
     * @return names and settings
     */
    public OpflowTopics build() {
      return new OpflowTopics(this);
    }

    private TopicSpec spec(OpflowTopic topic) {
      return new TopicSpec(
          prefix + topic.suffix(),
          partitions.getOrDefault(topic, defaultPartitions(topic)),
          replicationFactor,
          TopicConfig.CLEANUP_POLICY_DELETE,
          retention.getOrDefault(topic, topic.defaultRetention()));
    }

    private int defaultPartitions(OpflowTopic topic) {
      if (defaultPartitions != null) {
        return defaultPartitions;
      }
      return topic == OpflowTopic.STEP_TASKS ? DEFAULT_TASK_PARTITIONS : DEFAULT_PARTITIONS;
    }

    private static int positive(int value, String what) {
      if (value < 1) {
        throw new IllegalArgumentException(what + " must be at least 1, was " + value);
      }
      return value;
    }

    private static String requireNonNull(String value, String what) {
      if (value == null) {
        throw new IllegalArgumentException(what + " must not be null");
      }
      return value;
    }
  }

  @Override
  public String toString() {
    return "OpflowTopics" + Arrays.toString(specs.values().toArray());
  }
}
