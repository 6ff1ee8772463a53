package io.opflow.coordinator.internal;

import java.util.List;

/**
 * The immutable part of an active run, stored once when the run starts and never rewritten: its
 * job, code version, run config and steps in dependency order. Kept apart from the changing state
 * so that an event's cost does not grow with the run.
 *
 * @param runId the run id
 * @param jobName the job name
 * @param codeVersion the version of the code the job snapshot came from
 * @param runConfigJson the run config, secrets unresolved
 * @param startedAt when the coordinator started the run, epoch millis
 * @param steps the steps in dependency order
 */
record RunPlan(
    String runId,
    String jobName,
    String codeVersion,
    String runConfigJson,
    long startedAt,
    List<StepSpec> steps) {
  RunPlan {
    steps = List.copyOf(steps);
  }
}
