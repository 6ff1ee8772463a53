package io.opflow.coordinator.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.opflow.core.execution.RunStatus;

/** The coordinator's Micrometer meters. */
final class CoordinatorMetrics {
  static final String RUNS = "opflow.runs";
  static final String STEPS_ISSUED = "opflow.steps.issued";
  static final String STALE_RESULTS = "opflow.coordinator.stale.results";
  static final String WORKERS_LOST = "opflow.workers.lost";
  static final String LEASES_RENEWED_AFTER_STALL = "opflow.coordinator.leases.renewed.after.stall";

  private final MeterRegistry registry;

  CoordinatorMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void runStarted(String job) {
    registry.counter(RUNS, "status", "started", "job", job).increment();
  }

  void runEnded(String job, RunStatus status) {
    registry.counter(RUNS, "status", statusTag(status), "job", job).increment();
  }

  /**
   * Returns the {@code status} tag of a run's end: {@code success}, {@code failure} or {@code
   * canceled}, the values dashboards were built on before {@link RunStatus} took the glossary's
   * past participles, kept so they go on counting.
   */
  private static String statusTag(RunStatus status) {
    return switch (status) {
      case SUCCEEDED -> "success";
      case FAILED -> "failure";
      case CANCELED -> "canceled";
    };
  }

  void stepIssued(String job, String op) {
    registry.counter(STEPS_ISSUED, "job", job, "op", op, "via", "task").increment();
  }

  /** Counts a step a worker started itself after the step before it (worker-side chaining). */
  void stepChained(String job, String op) {
    registry.counter(STEPS_ISSUED, "job", job, "op", op, "via", "chain").increment();
  }

  void staleResult() {
    registry.counter(STALE_RESULTS).increment();
  }

  void workerLost() {
    registry.counter(WORKERS_LOST).increment();
  }

  /** Counts the leases renewed because a lease probe came back late. */
  void leasesRenewedAfterStall(int leases) {
    registry.counter(LEASES_RENEWED_AFTER_STALL).increment(leases);
  }
}
