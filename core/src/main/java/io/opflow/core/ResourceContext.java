package io.opflow.core;

import org.slf4j.Logger;

/**
 * What a resource factory sees when it builds a resource for a run.
 *
 * @param <C> the resource's config type
 */
public interface ResourceContext<C> {
  /** Returns the resource key in the job. */
  String resourceKey();

  /** Returns the run id the resource is built for. */
  String runId();

  /** Returns the config, bound from {@code resources.<key>.config} with env references resolved. */
  C config();

  /** Returns a logger. */
  Logger log();
}
