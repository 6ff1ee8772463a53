package io.opflow.core.execution;

import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * Options of an in-process run. Defaults: a random run id, as many concurrent steps as there are
 * processors, a failed run returned as a result, and environment references resolved from the
 * process environment.
 *
 * @param runId the run id
 * @param maxConcurrency how many steps may run at once
 * @param raiseOnFailure whether a run that did not succeed throws {@link RunFailedException}
 * @param environment resolves {@code {env: NAME}} references
 */
public record ExecuteOptions(
    String runId,
    int maxConcurrency,
    boolean raiseOnFailure,
    Function<String, String> environment) {
  /** Checks the values. */
  public ExecuteOptions {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(environment, "environment");
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException(
          "maxConcurrency must be at least 1, got " + maxConcurrency);
    }
  }

  /** Returns the defaults with a new random run id. */
  public static ExecuteOptions defaults() {
    return new ExecuteOptions(
        UUID.randomUUID().toString(),
        Runtime.getRuntime().availableProcessors(),
        false,
        System::getenv);
  }

  /** Returns these options with another run id. */
  public ExecuteOptions withRunId(String id) {
    return new ExecuteOptions(id, maxConcurrency, raiseOnFailure, environment);
  }

  /** Returns these options with another concurrency limit. */
  public ExecuteOptions withMaxConcurrency(int max) {
    return new ExecuteOptions(runId, max, raiseOnFailure, environment);
  }

  /** Returns these options set to throw {@link RunFailedException} when the run fails. */
  public ExecuteOptions raisingOnFailure() {
    return new ExecuteOptions(runId, maxConcurrency, true, environment);
  }

  /** Returns these options resolving environment references with {@code lookup}. */
  public ExecuteOptions withEnvironment(Function<String, String> lookup) {
    return new ExecuteOptions(runId, maxConcurrency, raiseOnFailure, lookup);
  }
}
