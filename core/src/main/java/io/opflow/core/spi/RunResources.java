package io.opflow.core.spi;

import io.opflow.core.OpflowException;
import io.opflow.core.ResourceContext;
import io.opflow.core.ResourceDefinition;
import io.opflow.core.config.RunConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resources of one run in one process: each built on first use from its run config, with {@code
 * {env: NAME}} resolved only then, and closed in reverse order when the run is done.
 */
public final class RunResources implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunResources.class);

  private final String runId;
  private final Map<String, ResourceDefinition<?, ?>> definitions;
  private final RunConfig runConfig;
  private final Function<String, String> environment;
  private final Map<String, Object> built = Collections.synchronizedMap(new LinkedHashMap<>());

  /** Creates the resources of a run; nothing is built yet. */
  public RunResources(
      String runId,
      Map<String, ResourceDefinition<?, ?>> definitions,
      RunConfig runConfig,
      Function<String, String> environment) {
    this.runId = runId;
    this.definitions = definitions;
    this.runConfig = runConfig;
    this.environment = environment;
  }

  /**
   * Returns the resource under {@code key}, building it on first use.
   *
   * @throws OpflowException if its config does not bind or its factory throws
   */
  public Object get(String key) {
    synchronized (built) {
      Object resource = built.get(key);
      if (resource == null) {
        resource = build(key, definitions.get(key));
        built.put(key, resource);
      }
      return resource;
    }
  }

  private <C> Object build(String key, ResourceDefinition<C, ?> definition) {
    if (definition == null) {
      throw new OpflowException("no resource '" + key + "' in this job");
    }
    C config =
        ConfigBinder.bind(
            "resources." + key + ".config",
            definition.configType(),
            runConfig.resourceConfig(key),
            environment);
    try {
      return definition.create(new Context<>(key, runId, config));
    } catch (Exception e) {
      throw new OpflowException("resource '" + key + "' failed to initialize: " + e, e);
    }
  }

  /** Closes every resource built, newest first; a failing close is logged, not thrown. */
  @Override
  public void close() {
    List<Map.Entry<String, Object>> entries;
    synchronized (built) {
      entries = new ArrayList<>(built.entrySet());
      built.clear();
    }
    Collections.reverse(entries);
    for (Map.Entry<String, Object> entry : entries) {
      try {
        definitions.get(entry.getKey()).close(entry.getValue());
      } catch (Exception e) {
        LOG.warn("Closing resource '{}' of run {} failed", entry.getKey(), runId, e);
      }
    }
  }

  private record Context<C>(String resourceKey, String runId, C config)
      implements ResourceContext<C> {
    @Override
    public Logger log() {
      return LoggerFactory.getLogger("opflow.resource." + resourceKey);
    }
  }
}
