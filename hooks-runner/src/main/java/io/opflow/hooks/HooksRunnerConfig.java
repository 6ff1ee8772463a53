package io.opflow.hooks;

import io.opflow.runtime.RuntimeConfig;
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

  /** Threads that run hook handlers (each hook runs on one, bounded by its timeout). */
  public static final String HOOK_THREADS_CONFIG = "opflow.hooks.threads";

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
              "Consumer group of the hooks-runners on the step-events and run-events topics.")
          .define(
              HOOK_THREADS_CONFIG,
              Type.INT,
              4,
              Range.between(1, 1024),
              Importance.MEDIUM,
              "Threads that run hook handlers. Hooks of one step run in order, each bounded by"
                  + " its timeout; a hook that ignores interruption keeps its thread until it"
                  + " returns.");

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
   * Returns the size of the hook thread pool.
   *
   * @return threads
   */
  public int hookThreads() {
    return getInt(HOOK_THREADS_CONFIG);
  }
}
