package io.opflow.ui.internal;

/**
 * Which runs a list shows.
 *
 * @param status a run status, or empty for all
 * @param job a job name, or empty for all
 * @param runIdPrefix the start of a run id, or empty for all
 */
record RunFilter(String status, String job, String runIdPrefix) {
  static final RunFilter ALL = new RunFilter("", "", "");

  boolean matches(RunView run) {
    return (status.isEmpty() || run.status.equals(status))
        && (job.isEmpty() || run.jobName.equals(job))
        && (runIdPrefix.isEmpty() || run.runId.startsWith(runIdPrefix));
  }
}
