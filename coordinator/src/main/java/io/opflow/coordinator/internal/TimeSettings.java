package io.opflow.coordinator.internal;

/**
 * The coordinator's time settings.
 *
 * @param leaseMillis the lease written into every step task
 * @param punctuateMillis how often, by wall clock, leases, start deadlines and retries are checked
 * @param finishedRetentionMillis how long the record of a finished run is kept
 * @param startTimeoutMillis how long a queued step may wait for a worker to start it
 */
public record TimeSettings(
    long leaseMillis,
    long punctuateMillis,
    long finishedRetentionMillis,
    long startTimeoutMillis) {}
