package io.opflow.core.spi;

import io.opflow.core.JobDefinition;
import io.opflow.core.config.InvalidRunConfigException;
import io.opflow.core.config.RunConfig;

/**
 * The run config a role works with: the run's own config, as it travels in a task or step event
 * (JSON, secrets still as {@code {env: NAME}} references), laid over the job's default config. The
 * worker runs a step and the hooks-runner fires its hooks with the same merge, so both see the
 * config the in-process executor would.
 */
public final class RunConfigs {
  private RunConfigs() {}

  /**
   * Parses a run's config and lays it over its job's defaults; values of the run win (see {@link
   * RunConfig#withDefaults}).
   *
   * @param runConfigJson the run's config as JSON, or null when the run has none
   * @param job the job the run runs, whose {@link JobDefinition#defaultConfig()} fills the gaps
   * @return the merged config
   * @throws InvalidRunConfigException if the JSON does not parse or a section has the wrong shape
   */
  public static RunConfig overDefaults(String runConfigJson, JobDefinition job) {
    RunConfig own = runConfigJson == null ? RunConfig.empty() : RunConfig.fromJson(runConfigJson);
    return own.withDefaults(job.defaultConfig());
  }
}
