package io.opflow.examples.slack;

import io.opflow.core.Definitions;
import io.opflow.core.DefinitionsProvider;
import io.opflow.core.RunStatusSensor;

/**
 * The example code location, found by {@link java.util.ServiceLoader}: the seed's jobs and a run
 * failure sensor. {@code opflow dev} runs {@code notif_all_dev} from here.
 */
public final class ExampleDefinitions implements DefinitionsProvider {
  /** The job the {@code dev} command runs. */
  public static final String DEV_JOB = "notif_all_dev";

  /** Prints a line whenever a run of any job fails. */
  public static final RunStatusSensor REPORT_RUN_FAILURE =
      RunStatusSensor.onRunFailure("report_run_failure")
          .handler(
              ctx ->
                  System.out.println(
                      "[sensor report_run_failure] run "
                          + ctx.runId()
                          + " of "
                          + ctx.jobName()
                          + " failed: "
                          + ctx.failedSteps()));

  @Override
  public Definitions definitions() {
    return Definitions.builder()
        .jobs(
            ExampleJobs.notifAll(),
            ExampleJobs.selectiveNotif(),
            ExampleJobs.notifAllDev(),
            ExampleJobs.notifAllProd())
        .sensors(REPORT_RUN_FAILURE)
        .codeVersion("example-1")
        .build();
  }
}
