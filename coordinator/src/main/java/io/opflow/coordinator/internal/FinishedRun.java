package io.opflow.coordinator.internal;

import io.opflow.core.execution.RunStatus;

/**
 * The small record kept for a run that ended, so late or duplicate commands and events for it do
 * nothing.
 *
 * @param runId the run id
 * @param jobName the job name
 * @param status how it ended
 * @param finishedAt when, epoch millis
 * @param message for an invalid run request, why it was refused; otherwise {@code null}
 */
record FinishedRun(
    String runId, String jobName, RunStatus status, long finishedAt, String message) {}
