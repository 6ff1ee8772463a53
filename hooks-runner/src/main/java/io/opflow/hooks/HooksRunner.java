package io.opflow.hooks;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opflow.core.Definitions;
import io.opflow.hooks.internal.HooksEngine;
import io.opflow.runtime.ObservabilityServer;
import java.util.Optional;
import java.util.function.Function;

/**
 * A hooks-runner: a member of the consumer group on {@code step-events} and {@code run-events} that
 * fires step hooks and run status sensors, isolated from the workers that ran the ops. It reads
 * committed events only.
 *
 * <p>For the first terminal event (succeeded, failed or skipped; never up-for-retry) of each step
 * attempt it runs the step's hooks in declared order, each with its timeout and resources, and
 * writes one hook event per hook. A hook error never changes the step. Hooks run off the poll
 * thread, on a lane per partition that keeps each run's order; a full lane pauses its partition, so
 * slow hooks never get the runner dropped from its group. A hook past its timeout is interrupted
 * and sees {@link io.opflow.core.HookContext#isCanceled()}.
 *
 * <p>Each hook fires once per idempotency key across redeliveries, rebalances and restarts; a
 * hooks-runner that was down catches up from its committed offsets. A crash after a hook ran but
 * before its hook event was written runs that hook again, and a timed-out hook may still have had
 * its effect: hooks with outside side effects pass {@link
 * io.opflow.core.HookContext#idempotencyKey()} along for those cases.
 *
 * <pre>{@code
 * try (HooksRunner runner =
 *     HooksRunner.start(HooksRunnerConfig.of(props), Definitions.load(), registry)) {
 *   // runs until closed
 * }
 * }</pre>
 */
public final class HooksRunner implements AutoCloseable {

  private final HooksEngine engine;
  private final Optional<ObservabilityServer> http;

  private HooksRunner(HooksEngine engine, Optional<ObservabilityServer> http) {
    this.engine = engine;
    this.http = http;
  }

  /**
   * Starts a hooks-runner that resolves {@code {env: NAME}} from the process environment.
   *
   * @param config the settings
   * @param definitions the jobs whose hooks it fires, and the sensors
   * @param registry where its meters go; a {@link PrometheusMeterRegistry} is also served on {@code
   *     opflow.metrics.port} unless that is -1
   * @return the running hooks-runner; close it to stop
   */
  public static HooksRunner start(
      HooksRunnerConfig config, Definitions definitions, MeterRegistry registry) {
    return start(config, definitions, registry, System::getenv);
  }

  /**
   * Starts a hooks-runner with its own environment lookup, for tests and embedding.
   *
   * @param config the settings
   * @param definitions the jobs whose hooks it fires, and the sensors
   * @param registry where its meters go
   * @param environment returns an environment variable's value, or null when unset
   * @return the running hooks-runner; close it to stop
   */
  public static HooksRunner start(
      HooksRunnerConfig config,
      Definitions definitions,
      MeterRegistry registry,
      Function<String, String> environment) {
    HooksEngine engine = new HooksEngine(config, definitions, registry, environment);
    Optional<ObservabilityServer> http =
        ObservabilityServer.startIfServed(
            config.metricsAddress(), config.metricsPort(), registry, engine::isHealthy);
    return new HooksRunner(engine, http);
  }

  /**
   * Returns whether the hooks-runner polls normally.
   *
   * @return true while healthy
   */
  public boolean isHealthy() {
    return engine.isHealthy();
  }

  /**
   * Returns the error that stopped the hooks-runner for good, if any: a hook event or dead letter
   * that could not be written, or an error it cannot recover from. It is logged when it happens and
   * {@link #isHealthy()} turns false; a supervisor (the CLI) should then exit non-zero so the
   * process is restarted. Being dropped from the group, a failed commit or a slow ledger rebuild
   * are recovered from and never end up here.
   *
   * @return the error, or empty while the hooks-runner runs or after a clean close
   */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(engine.failure());
  }

  /**
   * Returns the port of the metrics and health endpoint.
   *
   * @return the port, or -1 when the endpoint is not served
   */
  public int observabilityPort() {
    return http.map(ObservabilityServer::port).orElse(-1);
  }

  /**
   * Stops polling; each lane finishes the record in hand (within {@code
   * opflow.hooks.drain.timeout.ms}), what is done is committed, then the Kafka clients close.
   */
  @Override
  public void close() {
    http.ifPresent(ObservabilityServer::close);
    engine.close();
  }
}
