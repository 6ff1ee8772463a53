package io.opflow.core.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.opflow.core.config.ConfigProblem;
import java.util.List;

/**
 * Checks config values against config types without binding them, so that a run config can be
 * refused at submit time with every problem at once. {@code {env: NAME}} references are accepted
 * where a scalar is expected and are never resolved here.
 */
public final class ConfigValidator {
  private ConfigValidator() {}

  /**
   * Checks a config value against a config type and returns every problem, each with its full path.
   * It never throws for bad input.
   *
   * @param path the path of the value, such as {@code ops.b.config}
   * @param type the config type: a record, {@link io.opflow.core.config.NoConfig}, a map or {@link
   *     JsonNode}
   * @param value the value, or null if absent; absent means an empty object for records and maps
   * @return the problems in the order found, empty if the value fits
   */
  public static List<ConfigProblem> validate(String path, Class<?> type, JsonNode value) {
    ConfigWalker walker = new ConfigWalker(null);
    walker.walkTop(path, type, value);
    return List.copyOf(walker.problems());
  }
}
