package io.opflow.core;

import java.util.Map;
import org.slf4j.Logger;

/**
 * What an op sees while it runs: its inputs, its config, the resources it requires, and where to
 * put its outputs. Build one outside execution with {@link io.opflow.core.testing.TestContexts}.
 *
 * @param <C> the op's config type
 */
public interface OpContext<C> {
  /** Returns the name of the job the step belongs to. */
  String jobName();

  /** Returns the run id. */
  String runId();

  /** Returns the step key: the node name in the job. */
  String stepKey();

  /** Returns the attempt number, 1 for the first try. */
  int attempt();

  /** Returns the op's config, bound from the run config. */
  C config();

  /** Returns the value of an input, converted to the requested type. */
  <T> T input(String name, Class<T> type);

  /** Returns every input value by name. */
  Map<String, Object> inputs();

  /**
   * Returns a resource the op requires.
   *
   * @throws IllegalArgumentException if the op did not declare the key as required
   */
  <T> T resource(String key, Class<T> type);

  /**
   * Emits an output value. Outputs emitted before a failure are kept and shown to failure hooks.
   *
   * @throws IllegalArgumentException if the op declares no output of this name or type
   */
  void output(String name, Object value);

  /** Returns a logger whose MDC carries the run id, step key and op name. */
  Logger log();
}
