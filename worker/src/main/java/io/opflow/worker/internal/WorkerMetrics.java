package io.opflow.worker.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker's own meters: steps started, succeeded and failed, step duration by outcome, and how
 * many polled tasks wait for a free slot.
 */
final class WorkerMetrics {
  static final String STARTED = "opflow.steps.started";
  static final String SUCCEEDED = "opflow.steps.succeeded";
  static final String FAILED = "opflow.steps.failed";
  static final String DURATION = "opflow.step.duration";
  static final String WAITING = "opflow.worker.tasks.waiting";

  private final MeterRegistry registry;

  WorkerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Reports {@code waiting}, the number of polled tasks not yet started, as a gauge tagged with the
   * worker's id (workers embedded in one process may share a registry).
   */
  void waitingTasks(String workerId, AtomicInteger waiting) {
    Gauge.builder(WAITING, waiting, AtomicInteger::get)
        .description("Step tasks this worker has polled and not yet started")
        .tag("worker", workerId)
        .strongReference(true)
        .register(registry);
  }

  void started(String job, String op) {
    registry.counter(STARTED, "job", job, "op", op).increment();
  }

  /**
   * Records an attempt's end; outcome is succeeded, failed, up_for_retry or canceled (stopped by
   * its run's cancellation). The step counters count steps that ended for good; an attempt up for
   * retry shows in the timer only.
   */
  void ended(String job, String op, String outcome, Duration took) {
    if ("succeeded".equals(outcome)) {
      registry.counter(SUCCEEDED, "job", job, "op", op).increment();
    } else if ("failed".equals(outcome)) {
      registry.counter(FAILED, "job", job, "op", op).increment();
    }
    Timer.builder(DURATION)
        .description("How long step attempts ran on this worker")
        .tags("job", job, "op", op, "outcome", outcome)
        .register(registry)
        .record(took);
  }
}
