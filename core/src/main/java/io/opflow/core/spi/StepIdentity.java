package io.opflow.core.spi;

/**
 * Which step attempt something belongs to.
 *
 * @param jobName the job
 * @param runId the run
 * @param stepKey the node
 * @param attempt the attempt, 1 for the first
 */
public record StepIdentity(String jobName, String runId, String stepKey, int attempt) {}
