package io.opflow.worker.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The worker's own meters: steps started, succeeded and failed, and step duration by outcome. */
final class WorkerMetrics {
  static final String STARTED = "opflow.steps.started";
  static final String SUCCEEDED = "opflow.steps.succeeded";
  static final String FAILED = "opflow.steps.failed";
  static final String DURATION = "opflow.step.duration";

  private final MeterRegistry registry;

  WorkerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void started(String job, String op) {
    registry.counter(STARTED, "job", job, "op", op).increment();
  }

  /**
   * Records an attempt's end; outcome is succeeded, failed or up_for_retry. The step counters count
   * steps that ended for good; an attempt up for retry shows in the timer only.
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
