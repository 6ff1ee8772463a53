package io.opflow.hooks;

import io.opflow.runtime.RuntimeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of a hooks-runner: the shared {@link RuntimeConfig} keys plus its own. Every key has a
 * default except {@code bootstrap.servers}.
 */
public final class HooksRunnerConfig extends RuntimeConfig {

  /** Consumer group of the hooks-runners on {@code step-events} and {@code run-events}. */
  public static final String GROUP_ID_CONFIG = "opflow.hooks.group.id";

  private static final String GROUP_ID_DOC =
      "Consumer group of the hooks-runners on the step-events and run-events topics. Each"
          + " lane of hooks (see opflow.hooks.include) needs its own group.";

  /**
   * Threads that run hook handlers, shared by every partition's lane: at most this many hooks run
   * at once. Each hook runs on one, bounded by its timeout counted from its start.
   */
  public static final String HOOK_THREADS_CONFIG = "opflow.hooks.threads";

  private static final String HOOK_THREADS_DOC =
      "Threads that run hook handlers, shared by every partition's lane: at most this"
          + " many hooks run at once. Hooks of one partition run one at a time in order,"
          + " each bounded by its timeout from its start; a timed-out hook is interrupted,"
          + " and one that ignores interruption keeps its thread until it returns.";

  /**
   * Unfinished records (queued, running, or waiting for their hook events to be acknowledged) a
   * partition's lane may hold before the partition is paused; it resumes at half.
   */
  public static final String LANE_CAPACITY_CONFIG = "opflow.hooks.lane.capacity";

  private static final String LANE_CAPACITY_DOC =
      "Unfinished records (queued, running, or waiting for their hook events to be"
          + " acknowledged) a partition's lane may hold before the partition is paused;"
          + " it is resumed once the lane is down to half. A poll may hand a paused"
          + " partition's lane up to max.poll.records more.";

  /**
   * How long a lane may take to finish the record in hand when its partition is revoked or the
   * runner closes; at most half of the consumer's {@code max.poll.interval.ms}.
   */
  public static final String DRAIN_TIMEOUT_MS_CONFIG = "opflow.hooks.drain.timeout.ms";

  private static final String DRAIN_TIMEOUT_MS_DOC =
      "How long, in milliseconds, a lane may take to finish the record in hand (and have"
          + " its hook events acknowledged) when its partition is revoked or the runner"
          + " closes; records not started are left to the partition's next owner. Capped"
          + " at half of the consumer's max.poll.interval.ms, so that a revocation never"
          + " gets the runner dropped from its group.";

  /**
   * The hooks and run status sensors this runner serves: names, patterns with {@code *}, or tags
   * ({@code tag:paging}). Runners serving different hooks form separate lanes, each under its own
   * {@link #GROUP_ID_CONFIG}.
   */
  public static final String INCLUDE_CONFIG = "opflow.hooks.include";

  private static final String INCLUDE_DOC =
      "The hooks and run status sensors this runner fires: a comma-separated list of"
          + " names, patterns where * stands for any characters (slack_*), or tags"
          + " (tag:paging; hooks only). Default *, every hook. Runners that serve"
          + " different hooks form separate lanes: give each its own opflow.hooks.group.id,"
          + " and select every hook in exactly one lane, or it fires once per lane.";

  /** Hooks and sensors this runner does not serve, of those {@link #INCLUDE_CONFIG} selects. */
  public static final String EXCLUDE_CONFIG = "opflow.hooks.exclude";

  private static final String EXCLUDE_DOC =
      "Hooks and run status sensors this runner does not fire, of those"
          + " opflow.hooks.include selects, in the same forms; for example"
          + " include=* and exclude=tag:paging for the lane beside a paging lane.";

  /** Default consumer group. */
  public static final String DEFAULT_GROUP_ID = "opflow-hooks-runner";

  private static final ConfigDef DEFINITION =
      baseConfigDef()
          .define(
              GROUP_ID_CONFIG,
              Type.STRING,
              DEFAULT_GROUP_ID,
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              GROUP_ID_DOC)
          .define(INCLUDE_CONFIG, Type.LIST, "*", Importance.MEDIUM, INCLUDE_DOC)
          .define(EXCLUDE_CONFIG, Type.LIST, "", Importance.MEDIUM, EXCLUDE_DOC)
          .define(
              HOOK_THREADS_CONFIG,
              Type.INT,
              4,
              Range.between(1, 1024),
              Importance.MEDIUM,
              HOOK_THREADS_DOC)
          .define(
              LANE_CAPACITY_CONFIG,
              Type.INT,
              64,
              Range.between(1, 100_000),
              Importance.LOW,
              LANE_CAPACITY_DOC)
          .define(
              DRAIN_TIMEOUT_MS_CONFIG,
              Type.LONG,
              10_000L,
              Range.atLeast(0),
              Importance.LOW,
              DRAIN_TIMEOUT_MS_DOC);

  private HooksRunnerConfig(Map<?, ?> props) {
    super(DEFINITION, props);
  }

  /**
   * Creates a hooks-runner config.
   *
   * @param props the settings
   * @return the config
   * @throws ConfigException naming a missing or invalid key
   */
  public static HooksRunnerConfig of(Map<?, ?> props) {
    return new HooksRunnerConfig(props);
  }

  /**
   * Returns the definition of every key, for generated docs.
   *
   * @return the keys
   */
  public static ConfigDef configDef() {
    return DEFINITION;
  }

  /**
   * Returns the consumer group.
   *
   * @return the group id
   */
  public String groupId() {
    return getString(GROUP_ID_CONFIG);
  }

  /**
   * Returns the selectors of the hooks and sensors this runner serves.
   *
   * @return names, patterns or tags
   */
  public List<String> include() {
    return getList(INCLUDE_CONFIG);
  }

  /**
   * Returns the selectors of the hooks and sensors this runner does not serve.
   *
   * @return names, patterns or tags
   */
  public List<String> exclude() {
    return getList(EXCLUDE_CONFIG);
  }

  /**
   * Returns the size of the hook thread pool.
   *
   * @return threads
   */
  public int hookThreads() {
    return getInt(HOOK_THREADS_CONFIG);
  }

  /**
   * Returns how many unfinished records a partition's lane may hold before it is paused.
   *
   * @return the capacity
   */
  public int laneCapacity() {
    return getInt(LANE_CAPACITY_CONFIG);
  }

  /**
   * Returns how long a lane may take to finish its record in hand when its partition goes.
   *
   * @return the drain timeout, before the cap of half of {@code max.poll.interval.ms}
   */
  public Duration drainTimeout() {
    return Duration.ofMillis(getLong(DRAIN_TIMEOUT_MS_CONFIG));
  }
}
