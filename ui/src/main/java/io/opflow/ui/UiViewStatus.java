package io.opflow.ui;

import java.time.Instant;
import java.util.Optional;

/**
 * How the UI built its view and how its snapshot fares: what {@code /metrics} reports of it.
 *
 * @param start how the view started: restored from the snapshot in the state directory, or read
 *     from the event topics' beginning
 * @param reason why it started so, as the log says it (for example, why a snapshot was not used)
 * @param restoredRuns how many runs the snapshot gave, 0 for a full read
 * @param recordsRead how many records the UI has read from the event topics since it started
 * @param checkpointsWritten how many snapshots it has written since it started
 * @param checkpointFailures how many snapshots it could not write (full disk, for example)
 * @param lastCheckpoint when it last wrote one, if it did
 */
public record UiViewStatus(
    Start start,
    String reason,
    int restoredRuns,
    long recordsRead,
    long checkpointsWritten,
    long checkpointFailures,
    Optional<Instant> lastCheckpoint) {

  /** How the view started. */
  public enum Start {
    /** The event topics do not exist yet, or the UI has not decided yet. */
    STARTING,
    /** From the snapshot in the state directory, then on from the offsets it was taken at. */
    RESTORED,
    /** From the event topics' beginning: no state directory, or its snapshot was not usable. */
    FULL_READ
  }
}
