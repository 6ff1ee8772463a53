package io.opflow.hooks.internal;

import io.opflow.events.RunCanceled;
import io.opflow.events.RunFailed;
import io.opflow.events.RunSucceeded;
import io.opflow.events.StepHeartbeat;
import io.opflow.events.StepStarted;
import io.opflow.schemas.EventHeaders;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Headers;

/**
 * Sorts records by their {@link EventHeaders#EVENT_TYPE} header, before any decoding: most step
 * events (started, heartbeats) fire nothing, and only terminal run events concern sensors.
 */
final class EventTypes {
  // Only types that can never fire a hook are skipped undecoded. Every other type, including ones
  // this build does not know yet, is decoded, and what ends an attempt is decided on the event.
  private static final Set<String> STEP_NEVER_FIRES =
      Set.of(
          StepStarted.class.getSimpleName(),
          StepHeartbeat.class.getSimpleName(),
          EventHeaders.LEASE_PROBE_TYPE);

  private static final Set<String> RUN_TERMINAL =
      Set.of(
          RunSucceeded.class.getSimpleName(),
          RunFailed.class.getSimpleName(),
          RunCanceled.class.getSimpleName());

  private EventTypes() {}

  /**
   * Returns whether a step-events record may fire hooks: false only when its header names a type
   * that never does. A record without the header (a foreign producer, garbage) is decoded, so that
   * garbage still reaches the dead-letter topic.
   */
  static boolean stepMayFire(Headers headers) {
    return EventHeaders.eventType(headers)
        .map(type -> !STEP_NEVER_FIRES.contains(type))
        .orElse(true);
  }

  /** Returns whether a run-events record's header names a terminal run event. */
  static boolean runTerminal(Headers headers) {
    return EventHeaders.eventType(headers).map(RUN_TERMINAL::contains).orElse(false);
  }

  /** Returns whether a run-events record must be decoded to know what it is: it has no type. */
  static boolean untyped(Headers headers) {
    return EventHeaders.eventType(headers).isEmpty();
  }

  /** Returns the run id header, if present. */
  static Optional<String> runId(Headers headers) {
    return EventHeaders.runId(headers);
  }
}
