package io.opflow.coordinator.internal;

import java.util.List;
import java.util.Map;

/**
 * A record the coordinator read, as its own small immutable type: a step event ({@link StepInput}),
 * a run command, or a lease probe. {@link CoordinatorInputs} is the one place that reads the wire
 * records and builds these; the commands see only these types, and {@link CoordinatorRecords}
 * builds what the coordinator publishes.
 */
sealed interface CoordinatorInput
    permits StepInput,
        CoordinatorInput.RunRequest,
        CoordinatorInput.CancelRequest,
        CoordinatorInput.LeaseProbe,
        CoordinatorInput.Unknown {

  /** Hands this input to the router's method for its kind. */
  void routeTo(Router router);

  /** Where each kind of input goes. */
  interface Router {
    void onStepEvent(StepInput event);

    void onRunRequested(RunRequest request);

    void onCancelRequested(CancelRequest request);

    void onLeaseProbe(LeaseProbe probe);
  }

  /**
   * A run requested, with the parts of its job snapshot the coordinator plans from.
   *
   * @param key the record key it came under, which must be the run id
   * @param runId the run id
   * @param jobName the job
   * @param codeVersion the version of the code the job snapshot came from
   * @param runConfigJson the run config, secrets unresolved
   * @param nodes the job snapshot's nodes, in declared order
   * @param reexecution the run it re-executes and the steps it reuses, or null for a new run
   */
  record RunRequest(
      String key,
      String runId,
      String jobName,
      String codeVersion,
      String runConfigJson,
      List<Node> nodes,
      Reexecution reexecution)
      implements CoordinatorInput {

    @Override
    public void routeTo(Router router) {
      router.onRunRequested(this);
    }

    /**
     * One node of the job snapshot, as declared: its bindings are not yet checked.
     *
     * @param stepKey the step key
     * @param opName the op it invokes
     * @param upstream where each input comes from, in declared order
     * @param retry its retry policy
     */
    record Node(String stepKey, String opName, List<Upstream> upstream, StepSpec.Retry retry) {}

    /**
     * Where one input of a node comes from.
     *
     * @param inputName the input
     * @param step the upstream step key
     * @param output the upstream output
     */
    record Upstream(String inputName, String step, String output) {}

    /**
     * The run a re-execution re-executes, and the steps it takes from it.
     *
     * @param parentRunId the run re-executed
     * @param reusedSteps the steps reused, in request order, duplicates included
     */
    record Reexecution(String parentRunId, List<Reused> reusedSteps) {}

    /**
     * A step taken from the parent run.
     *
     * @param stepKey the step key
     * @param outputs the outputs, as JSON, it produced there
     */
    record Reused(String stepKey, Map<String, String> outputs) {}
  }

  /**
   * A run's cancel requested.
   *
   * @param key the record key it came under
   * @param runId the run id
   * @param reason why, for people
   */
  record CancelRequest(String key, String runId, String reason) implements CoordinatorInput {
    @Override
    public void routeTo(Router router) {
      router.onCancelRequested(this);
    }
  }

  /**
   * A lease probe read back (see {@link LeaseProbes}).
   *
   * @param probe its header value, or null
   */
  record LeaseProbe(String probe) implements CoordinatorInput {
    @Override
    public void routeTo(Router router) {
      router.onLeaseProbe(this);
    }
  }

  /**
   * A record the coordinator has no use for, such as a payload of a newer schema: {@link
   * CoordinatorInputs} reported it, and it goes nowhere.
   *
   * @param what what it was
   */
  record Unknown(String what) implements CoordinatorInput {
    @Override
    public void routeTo(Router router) {
      // Reported once per kind when read; ignored, as the coordinator always has.
    }
  }
}
