package io.opflow.cli.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opflow.ui.UiServer;
import io.opflow.ui.UiViewStatus;
import io.opflow.ui.UiViewStatus.Start;
import java.time.Duration;
import java.time.Instant;

/**
 * The UI's meters: how its view started (restored from its snapshot or read from the beginning),
 * the records it read since, and how its snapshots fare.
 */
public final class UiMetrics {
  static final String RESTORED = "opflow.ui.view.restored";
  static final String RECORDS_READ = "opflow.ui.records.read";
  static final String SNAPSHOTS = "opflow.ui.view.snapshots";
  static final String SNAPSHOT_AGE = "opflow.ui.view.snapshot.age";

  private UiMetrics() {}

  /** Registers the UI's meters, read from {@code ui} when scraped. */
  public static void bind(MeterRegistry registry, UiServer ui) {
    Gauge.builder(RESTORED, ui, u -> restored(u.viewStatus()))
        .description(
            "1 when the view was restored from the state directory's snapshot at start, 0 when the"
                + " event topics were read from their beginning, -1 while starting")
        .register(registry);
    FunctionCounter.builder(RECORDS_READ, ui, u -> u.viewStatus().recordsRead())
        .description("Records read from the event topics since the UI started")
        .register(registry);
    FunctionCounter.builder(SNAPSHOTS, ui, u -> u.viewStatus().checkpointsWritten())
        .description("Snapshots of the view written to the state directory")
        .tag("outcome", "written")
        .register(registry);
    FunctionCounter.builder(SNAPSHOTS, ui, u -> u.viewStatus().checkpointFailures())
        .description("Snapshots of the view written to the state directory")
        .tag("outcome", "failed")
        .register(registry);
    Gauge.builder(SNAPSHOT_AGE, ui, u -> ageSeconds(u.viewStatus()))
        .description("Seconds since the last snapshot was written; NaN before the first")
        .baseUnit("seconds")
        .register(registry);
  }

  private static double restored(UiViewStatus status) {
    return status.start() == Start.STARTING ? -1 : status.start() == Start.RESTORED ? 1 : 0;
  }

  private static double ageSeconds(UiViewStatus status) {
    return status
        .lastCheckpoint()
        .map(at -> Duration.between(at, Instant.now()).toMillis() / 1000.0)
        .orElse(Double.NaN);
  }
}
