package io.opflow.core;

import io.opflow.core.config.NoConfig;
import java.util.Objects;

/**
 * An injected dependency of ops and hooks (a Slack client, a connection pool): a config type, a
 * factory and a closer. Immutable.
 *
 * <pre>{@code
 * ResourceDefinition<SlackConfig, Slack> slack =
 *     ResourceDefinition.builder(SlackConfig.class).factory(ctx -> new WebhookSlack(ctx.config()));
 * ResourceDefinition<NoConfig, Slack> console = ResourceDefinition.hardcoded(new ConsoleSlack());
 * ResourceDefinition<NoConfig, Slack> prod = slack.configured(new SlackConfig("https://..."));
 * }</pre>
 *
 * @param <C> the config type, bound from {@code resources.<key>.config}
 * @param <T> the resource type
 */
public final class ResourceDefinition<C, T> {
  private final Class<C> configType;
  private final ResourceFactory<C, T> factory;
  private final ResourceCloser<T> closer;

  private ResourceDefinition(
      Class<C> configType, ResourceFactory<C, T> factory, ResourceCloser<T> closer) {
    this.configType = Objects.requireNonNull(configType, "configType");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.closer = Objects.requireNonNull(closer, "closer");
  }

  /** Starts a resource whose config is bound to {@code configType}. */
  public static <C> Builder<C> builder(Class<C> configType) {
    return new Builder<>(configType);
  }

  /** Starts a resource that takes no config. */
  public static Builder<NoConfig> builder() {
    return new Builder<>(NoConfig.class);
  }

  /**
   * Returns a resource that is always {@code value}, for tests and development (a mock or a console
   * stand-in). The value is not closed by Opflow.
   */
  public static <T> ResourceDefinition<NoConfig, T> hardcoded(T value) {
    Objects.requireNonNull(value, "value");
    return new ResourceDefinition<>(NoConfig.class, ctx -> value, resource -> {});
  }

  /**
   * Returns this resource with its config fixed in code, as Dagster's {@code configured} API does.
   * The result takes no run config.
   */
  public ResourceDefinition<NoConfig, T> configured(C config) {
    Objects.requireNonNull(config, "config");
    ResourceFactory<C, T> original = factory;
    return new ResourceDefinition<>(
        NoConfig.class, ctx -> original.create(new FixedConfigContext<>(ctx, config)), closer);
  }

  /** Returns this resource with another closer. */
  public ResourceDefinition<C, T> withCloser(ResourceCloser<T> closer) {
    return new ResourceDefinition<>(configType, factory, closer);
  }

  /** Returns the config type. */
  public Class<C> configType() {
    return configType;
  }

  /** Builds an instance. */
  public T create(ResourceContext<C> context) throws Exception {
    return factory.create(context);
  }

  /** Closes an instance this definition built. */
  public void close(Object resource) throws Exception {
    @SuppressWarnings("unchecked")
    T typed = (T) resource;
    closer.close(typed);
  }

  /**
   * Builds a {@link ResourceDefinition}.
   *
   * @param <C> the config type
   */
  public static final class Builder<C> {
    private final Class<C> configType;

    private Builder(Class<C> configType) {
      this.configType = configType;
    }

    /**
     * Sets the factory and returns the resource; instances that are {@link AutoCloseable} are
     * closed when the run is done.
     */
    public <T> ResourceDefinition<C, T> factory(ResourceFactory<C, T> factory) {
      return new ResourceDefinition<>(configType, factory, ResourceCloser.closeIfAutoCloseable());
    }
  }

  private record FixedConfigContext<C>(ResourceContext<?> delegate, C config)
      implements ResourceContext<C> {
    @Override
    public String resourceKey() {
      return delegate.resourceKey();
    }

    @Override
    public String runId() {
      return delegate.runId();
    }

    @Override
    public org.slf4j.Logger log() {
      return delegate.log();
    }
  }
}
