package io.opflow.core.execution;

import io.opflow.core.OpflowException;

/** Thrown by an in-process run that did not succeed, when the caller asked for an exception. */
public final class RunFailedException extends OpflowException {
  private static final long serialVersionUID = 1L;
  private final transient ExecutionResult result;

  /** Creates the exception for a finished run. */
  public RunFailedException(ExecutionResult result) {
    super(
        "run "
            + result.runId()
            + " of job '"
            + result.jobName()
            + "' ended with "
            + result.status()
            + "; failed steps: "
            + result.steps().values().stream()
                .filter(step -> step.status() == StepStatus.FAILED)
                .map(
                    step ->
                        step.stepKey()
                            + " ("
                            + step.failure().map(e -> e.summary()).orElse("?")
                            + ")")
                .toList());
    this.result = result;
  }

  /** Returns the run's result. */
  public ExecutionResult result() {
    return result;
  }
}
