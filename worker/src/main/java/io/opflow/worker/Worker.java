package io.opflow.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opflow.core.Definitions;
import io.opflow.runtime.ObservabilityServer;
import io.opflow.worker.internal.WorkerEngine;
import java.util.Optional;
import java.util.function.Function;

/**
 * A worker: a member of the consumer group on {@code step-tasks} that runs ops of the loaded {@link
 * Definitions} and publishes their step events (started with a lease, heartbeats, then success with
 * outputs, up for retry, or failure with a structured error).
 *
 * <p>No event is sent synchronously: the op starts as soon as its StepStarted is handed to the
 * producer. A task's offset is committed once the broker has acknowledged its StepStarted, so a
 * worker killed mid-step is noticed by its lease running out at the coordinator rather than by
 * redelivery, and an offset never passes an unacknowledged start. A send that fails for good stops
 * the worker's poll loop and makes it unhealthy. The worker reads only committed transactional data
 * ({@code read_committed}), skips tasks for attempts it already started, holds at most {@code
 * opflow.worker.concurrency} unstarted tasks, and joins its group with Kafka's consumer group
 * protocol (KIP-848). Ops run on a bounded pool; when it is full the worker pauses its partitions
 * and keeps polling. Resources are built per step from the run config, resolving {@code {env:
 * NAME}} in this process, and closed after the step.
 *
 * <pre>{@code
 * try (Worker worker = Worker.start(WorkerConfig.of(props), Definitions.load(), registry)) {
 *   // runs until closed
 * }
 * }</pre>
 */
public final class Worker implements AutoCloseable {

  private final WorkerEngine engine;
  private final Optional<ObservabilityServer> http;

  private Worker(WorkerEngine engine, Optional<ObservabilityServer> http) {
    this.engine = engine;
    this.http = http;
  }

  /**
   * Starts a worker that resolves {@code {env: NAME}} from the process environment.
   *
   * @param config the settings
   * @param definitions the jobs it can run
   * @param registry where its meters go; a {@link PrometheusMeterRegistry} is also served on {@code
   *     opflow.metrics.port} unless that is -1
   * @return the running worker; close it to stop
   */
  public static Worker start(WorkerConfig config, Definitions definitions, MeterRegistry registry) {
    return start(config, definitions, registry, System::getenv);
  }

  /**
   * Starts a worker with its own environment lookup, for tests and embedding.
   *
   * @param config the settings
   * @param definitions the jobs it can run
   * @param registry where its meters go
   * @param environment returns an environment variable's value, or null when unset
   * @return the running worker; close it to stop
   */
  public static Worker start(
      WorkerConfig config,
      Definitions definitions,
      MeterRegistry registry,
      Function<String, String> environment) {
    WorkerEngine engine = new WorkerEngine(config, definitions, registry, environment);
    Optional<ObservabilityServer> http =
        ObservabilityServer.startIfServed(
            config.metricsAddress(), config.metricsPort(), registry, engine::isHealthy);
    return new Worker(engine, http);
  }

  /**
   * Returns whether the worker polls normally: its poll thread is alive, has not failed, and has
   * polled within the last minute.
   *
   * @return true while healthy
   */
  public boolean isHealthy() {
    return engine.isHealthy();
  }

  /**
   * Returns the error that stopped the worker's poll thread for good, if any: a task's event that
   * could not be written, or an error it cannot recover from. It is logged when it happens and
   * {@link #isHealthy()} turns false; a supervisor (the CLI) should then exit non-zero so the
   * process is restarted.
   *
   * @return the error, or empty while the worker runs or after a clean close
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
   * Stops polling, waits up to {@code opflow.worker.shutdown.grace.ms} for running ops to finish
   * and publish, then closes the Kafka clients.
   */
  @Override
  public void close() {
    http.ifPresent(ObservabilityServer::close);
    engine.close();
  }
}
