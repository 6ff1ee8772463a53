package io.opflow.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opflow.core.OpflowException;
import io.opflow.core.internal.config.RunConfigTrees;
import io.opflow.core.spi.ConfigBinder;
import io.opflow.core.spi.DurationValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A run config: YAML or JSON with top-level {@code ops} and {@code resources} sections, holding
 * {@code ops.<node>.config}, {@code ops.<node>.timeout} (overriding the op's timeout) and {@code
 * resources.<key>.config}. Immutable.
 *
 * <p>A value may be an {@code {env: NAME}} reference. A run config keeps such references as they
 * are: they are resolved only where the op or resource is built, so that secrets never travel in a
 * run config. Whether each config fits its op's or resource's config type is checked separately,
 * against the job's definitions.
 *
 * <pre>{@code
 * ops:
 *   fetch:
 *     config: {url: "https://example.com", retries: 3}
 *     timeout: 30s
 * resources:
 *   slack:
 *     config: {token: {env: SLACK_TOKEN}}
 * }</pre>
 */
public final class RunConfig {
  private static final RunConfig EMPTY = new RunConfig(ConfigBinder.mapper().createObjectNode());

  /** The tree in normal form; never exposed, so never changed. */
  private final ObjectNode root;

  private RunConfig(ObjectNode root) {
    this.root = root;
  }

  /** Returns a run config with no op or resource config. */
  public static RunConfig empty() {
    return EMPTY;
  }

  /**
   * Parses a run config from YAML.
   *
   * @throws InvalidRunConfigException on a syntax error (with its line and column) or a section of
   *     the wrong shape
   */
  public static RunConfig fromYaml(String yaml) {
    return of(RunConfigTrees.parseYaml(yaml, null));
  }

  /**
   * Parses a run config from JSON.
   *
   * @throws InvalidRunConfigException on a syntax error (with its line and column) or a section of
   *     the wrong shape
   */
  public static RunConfig fromJson(String json) {
    return of(RunConfigTrees.parseJson(json, null));
  }

  /**
   * Reads a run config from a file: JSON if its name ends in {@code .json}, YAML if it ends in
   * {@code .yaml} or {@code .yml}.
   *
   * @throws InvalidRunConfigException if the extension is unknown or the content is invalid; syntax
   *     errors name the file
   * @throws OpflowException if the file cannot be read
   */
  public static RunConfig fromFile(Path file) {
    String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
    boolean json = name.endsWith(".json");
    if (!json && !name.endsWith(".yaml") && !name.endsWith(".yml")) {
      String message = "unsupported file extension; use .yaml, .yml or .json";
      throw new InvalidRunConfigException(java.util.List.of(new ConfigProblem(name, message)));
    }
    String text = read(file);
    String source = file.toString();
    return of(
        json ? RunConfigTrees.parseJson(text, source) : RunConfigTrees.parseYaml(text, source));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new OpflowException("Cannot read run config file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Makes a run config from a tree of maps, lists and scalars, as a YAML parser would produce.
   *
   * @throws InvalidRunConfigException if a section has the wrong shape
   */
  public static RunConfig fromMap(Map<String, ?> tree) {
    return of(ConfigBinder.mapper().valueToTree(tree));
  }

  /** Returns a builder for a run config written in code. */
  public static Builder builder() {
    return new Builder();
  }

  private static RunConfig of(JsonNode tree) {
    ObjectNode root = RunConfigTrees.normalize(tree);
    return root.isEmpty() ? EMPTY : new RunConfig(root);
  }

  /** Returns a copy of the value at {@code ops.<node>.config}, or null if absent. */
  public JsonNode opConfig(String node) {
    return configAt(RunConfigTrees.OPS, node);
  }

  /**
   * Returns the timeout set at {@code ops.<node>.timeout}, which overrides the op's own.
   *
   * @param node the op node
   * @return the timeout, or empty if the run config sets none for that node
   */
  public Optional<Duration> opTimeout(String node) {
    JsonNode timeout = root.path(RunConfigTrees.OPS).path(node).get(RunConfigTrees.TIMEOUT);
    return timeout == null ? Optional.empty() : Optional.of(DurationValues.parse(timeout));
  }

  /** Returns a copy of the value at {@code resources.<key>.config}, or null if absent. */
  public JsonNode resourceConfig(String key) {
    return configAt(RunConfigTrees.RESOURCES, key);
  }

  private JsonNode configAt(String section, String name) {
    JsonNode config = root.path(section).path(name).get(RunConfigTrees.CONFIG);
    return config == null ? null : config.deepCopy();
  }

  /**
   * Returns the node names under {@code ops}, in document order, including those without config.
   */
  public Set<String> opNodes() {
    return RunConfigTrees.names(root, RunConfigTrees.OPS);
  }

  /** Returns the resource keys under {@code resources}, in document order. */
  public Set<String> resourceKeys() {
    return RunConfigTrees.names(root, RunConfigTrees.RESOURCES);
  }

  /**
   * Returns this run config laid over defaults, such as a job's default config. Values in this run
   * config win; objects merge recursively; lists, scalars and {@code {env: NAME}} references
   * replace the default whole; a null here counts as absent.
   */
  public RunConfig withDefaults(RunConfig defaults) {
    Objects.requireNonNull(defaults, "defaults");
    return of(RunConfigTrees.merge(root, defaults.root));
  }

  /** Returns a copy of the whole tree, which the caller may change freely. */
  public JsonNode tree() {
    return root.deepCopy();
  }

  /** Returns the run config as compact JSON, with {@code {env: NAME}} references as they are. */
  public String toJson() {
    try {
      return ConfigBinder.mapper().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new OpflowException("Cannot write run config as JSON", e);
    }
  }

  /** Returns true if the other object is a run config with an equal tree. */
  @Override
  public boolean equals(Object other) {
    return other instanceof RunConfig that && root.equals(that.root);
  }

  /** Returns a hash code consistent with {@link #equals}. */
  @Override
  public int hashCode() {
    return root.hashCode();
  }

  /** Returns {@code RunConfig} and the JSON form; references are shown, never resolved. */
  @Override
  public String toString() {
    return "RunConfig" + toJson();
  }

  /** Builds a run config in code, such as a job's default config or a test's config. */
  public static final class Builder {
    private final ObjectNode root = ConfigBinder.mapper().createObjectNode();

    private Builder() {}

    /**
     * Sets the config of an op node. The value may be a map, list, scalar, {@link JsonNode} or
     * record; records are converted with Jackson. A null value gives the node no config.
     */
    public Builder opConfig(String node, Object configValue) {
      return put(RunConfigTrees.OPS, node, configValue);
    }

    /** Sets the config of a resource, converted as in {@link #opConfig}. */
    public Builder resourceConfig(String key, Object value) {
      return put(RunConfigTrees.RESOURCES, key, value);
    }

    private Builder put(String section, String name, Object value) {
      Objects.requireNonNull(name, "name");
      ObjectNode entry = root.withObjectProperty(section).putObject(name);
      entry.set(RunConfigTrees.CONFIG, ConfigBinder.mapper().valueToTree(value));
      return this;
    }

    /** Returns the run config built so far; the builder may be used again. */
    public RunConfig build() {
      return of(root);
    }
  }
}
