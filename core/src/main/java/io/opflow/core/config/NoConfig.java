package io.opflow.core.config;

/**
 * The config type of an op or resource that takes no config. A run config that gives such an op or
 * resource a non-empty config is refused.
 */
public record NoConfig() {

  /** The one value of this type, returned when a no-config op or resource is bound. */
  public static final NoConfig INSTANCE = new NoConfig();
}
