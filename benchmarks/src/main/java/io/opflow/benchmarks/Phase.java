package io.opflow.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/** A part of the benchmark that {@code --phases} can select; they run in this order. */
enum Phase {
  /** The raw Kafka round trip: latency on one chain, throughput with many chains. */
  FLOOR,
  /** Chain runs one after another: the step-to-step hop and the hook latency, unloaded. */
  LATENCY,
  /** Wide runs submitted at once: steps per second, CPU per role, records and bytes per step. */
  THROUGHPUT,
  /** Steps held in flight: the coordinator's heap per in-flight step. */
  HEAP,
  /** Sleeping steps on 1, 2 and 4 workers, then a worker joining and one leaving. */
  SCALING;

  /** Returns the name used on the command line. */
  String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Returns the phase of a command-line name.
   *
   * @param key such as {@code latency}
   * @return the phase
   * @throws IllegalArgumentException naming the known phases
   */
  static Phase of(String key) {
    return Arrays.stream(values())
        .filter(p -> p.key().equals(key.trim().toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("unknown phase '" + key + "'; known: " + known()));
  }

  /** Returns the phases' command-line names, comma-separated. */
  static String known() {
    return String.join(",", Arrays.stream(values()).map(Phase::key).toList());
  }

  /** Returns whether this phase needs an Opflow cluster (every phase but the floor does). */
  boolean needsOpflow() {
    return this != FLOOR;
  }
}
