package io.opflow.core.execution;

import io.opflow.core.JobDefinition;
import io.opflow.core.config.RunConfig;
import io.opflow.core.internal.InProcessRun;

/**
 * Runs a job in this process, with no Kafka: steps in dependency order (independent steps
 * concurrently), retry policies with their delays, skipping downstream of failures, and hooks. For
 * unit tests and development; {@link JobDefinition#executeInProcess} is the shorthand.
 */
public final class InProcessExecutor {
  private final ExecuteOptions options;

  /** Creates an executor with options. */
  public InProcessExecutor(ExecuteOptions options) {
    this.options = options;
  }

  /**
   * Validates the run config, then runs the job.
   *
   * @throws io.opflow.core.config.InvalidRunConfigException before anything runs, listing every
   *     problem with its path
   * @throws RunFailedException if the run did not succeed and the options ask for an exception
   */
  public ExecutionResult execute(JobDefinition job, RunConfig runConfig) {
    RunConfig merged = job.validate(runConfig);
    ExecutionResult result = new InProcessRun(job, merged, options).execute();
    if (options.raiseOnFailure() && !result.success()) {
      throw new RunFailedException(result);
    }
    return result;
  }
}
