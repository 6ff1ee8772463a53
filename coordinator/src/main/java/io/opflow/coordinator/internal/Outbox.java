package io.opflow.coordinator.internal;

import io.opflow.events.RunEvent;
import io.opflow.events.StepEvent;
import io.opflow.protocol.StepTask;

/** Where the coordinator's commands send their output, and their clock. */
interface Outbox {

  /** Returns the current wall-clock time in epoch millis (mocked in tests). */
  long now();

  /** Publishes a step task, keyed by run id and step key, to a chosen partition. */
  void task(StepTask task, int partition);

  /** Publishes a step event, keyed by run id. */
  void stepEvent(StepEvent event);

  /**
   * Publishes a lease probe to {@code step-events}: no value, the probe in its header.
   *
   * @param runId a run whose partition the probe goes to
   * @param probe who sent it and when (see {@link LeaseProbes})
   */
  void leaseProbe(String runId, String probe);

  /** Publishes a run event, keyed by run id. */
  void runEvent(RunEvent event);
}
