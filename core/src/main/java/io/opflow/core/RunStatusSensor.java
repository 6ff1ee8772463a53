package io.opflow.core;

import io.opflow.core.execution.RunStatus;
import java.util.Objects;
import java.util.Set;

/**
 * A job-level policy that reacts to run events (for example, a page for every failed run). The
 * hooks-runner evaluates sensors as run events arrive; nothing polls.
 *
 * <pre>{@code
 * RunStatusSensor pager = RunStatusSensor.onRunFailure("page_on_failure")
 *     .handler(ctx -> pager.page(ctx.jobName() + " failed: " + ctx.failedSteps()));
 * }</pre>
 */
public final class RunStatusSensor {
  private final String name;
  private final RunStatus status;
  private final Set<String> jobNames;
  private final RetryPolicy retryPolicy;
  private final RunStatusHandler handler;

  private RunStatusSensor(Builder builder, RunStatusHandler handler) {
    this.name = builder.name;
    this.status = builder.status;
    this.jobNames = Set.copyOf(builder.jobNames);
    this.retryPolicy = builder.retryPolicy;
    this.handler = Objects.requireNonNull(handler, "handler");
  }

  /** Starts a sensor that fires when a run fails. */
  public static Builder onRunFailure(String name) {
    return onRunStatus(name, RunStatus.FAILED);
  }

  /** Starts a sensor that fires when a run ends with {@code status}. */
  public static Builder onRunStatus(String name, RunStatus status) {
    return new Builder(Names.requireValid("sensor", name), Objects.requireNonNull(status));
  }

  /** Returns the sensor name. */
  public String name() {
    return name;
  }

  /** Returns the run status the sensor reacts to. */
  public RunStatus status() {
    return status;
  }

  /** Returns the jobs the sensor watches; empty means every job. */
  public Set<String> jobNames() {
    return jobNames;
  }

  /**
   * Returns how the sensor is tried again when it throws; {@link RetryPolicy#none()} unless set.
   */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /**
   * Returns whether the sensor fires for a run of {@code jobName} that ended with {@code status}.
   */
  public boolean appliesTo(String jobName, RunStatus runStatus) {
    return status == runStatus && (jobNames.isEmpty() || jobNames.contains(jobName));
  }

  /** Runs the handler. */
  public void invoke(RunStatusContext context) throws Exception {
    handler.handle(context);
  }

  /** The body of a run status sensor. */
  @FunctionalInterface
  public interface RunStatusHandler {
    /** Reacts to a run's end. */
    void handle(RunStatusContext context) throws Exception;
  }

  /** Builds a {@link RunStatusSensor}. */
  public static final class Builder {
    private final String name;
    private final RunStatus status;
    private Set<String> jobNames = Set.of();
    private RetryPolicy retryPolicy = RetryPolicy.none();

    private Builder(String name, RunStatus status) {
      this.name = name;
      this.status = status;
    }

    /** Limits the sensor to runs of these jobs; default every job. */
    public Builder jobs(String... names) {
      this.jobNames = Set.of(names);
      return this;
    }

    /**
     * Sets how the sensor is tried again when it throws, as for a hook ({@link
     * HookDefinition.Builder#retryPolicy}): each try is recorded, the runner does not wait out the
     * delay, and a call whose tries are used up goes to the dead-letter topic with its run event;
     * default {@link RetryPolicy#none()}.
     */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Sets the handler and returns the sensor. */
    public RunStatusSensor handler(RunStatusHandler handler) {
      return new RunStatusSensor(this, handler);
    }
  }
}
