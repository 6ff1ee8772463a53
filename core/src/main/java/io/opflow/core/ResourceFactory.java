package io.opflow.core;

/**
 * Builds a resource instance from its config.
 *
 * @param <C> the config type
 * @param <T> the resource type
 */
@FunctionalInterface
public interface ResourceFactory<C, T> {
  /** Builds the resource. */
  T create(ResourceContext<C> context) throws Exception;
}
