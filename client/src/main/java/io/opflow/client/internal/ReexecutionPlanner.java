package io.opflow.client.internal;

import io.opflow.client.ReexecutionScope;
import io.opflow.client.RunNotReexecutableException;
import io.opflow.protocol.InputBinding;
import io.opflow.protocol.JobSnapshot;
import io.opflow.protocol.NodeSnapshot;
import io.opflow.protocol.ReexecutionOf;
import io.opflow.protocol.ReusedStep;
import io.opflow.protocol.RunRequested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns an ended run into the request of its re-execution: the same job snapshot, run config and
 * tags under a new run id, reusing the steps the scope lets it reuse.
 */
public final class ReexecutionPlanner {
  private ReexecutionPlanner() {}

  /**
   * Plans a re-execution.
   *
   * @param parentRunId the run to re-execute
   * @param parent what the topics hold of it
   * @param scope what to run again
   * @param newRunId the new run's id
   * @param now when the re-execution is requested
   * @return the new run's request
   * @throws RunNotReexecutableException when the parent is not on the topics, has not ended, or has
   *     nothing to re-execute from failure
   */
  public static RunRequested plan(
      String parentRunId, ParentRun parent, ReexecutionScope scope, String newRunId, Instant now) {
    RunRequested request = parent.request();
    if (request == null) {
      throw new RunNotReexecutableException(
          "run "
              + parentRunId
              + " is not on the runs topic: check the run id, or the run is older than the"
              + " topic's retention and cannot be re-executed");
    }
    if (parent.endStatus() == null) {
      throw new RunNotReexecutableException(
          "run "
              + parentRunId
              + " has not ended: wait for it to end, or cancel it, before re-executing it");
    }
    List<ReusedStep> reused =
        scope == ReexecutionScope.ALL ? List.of() : reusable(request.getJob(), parent);
    if (scope == ReexecutionScope.FROM_FAILURE
        && reused.size() == request.getJob().getNodes().size()) {
      throw new RunNotReexecutableException(
          "run "
              + parentRunId
              + " has no step to re-execute from failure: every step succeeded; re-execute all"
              + " of it instead");
    }
    return RunRequested.newBuilder(request)
        .setRunId(newRunId)
        .setRequestedAt(now)
        .setReexecution(new ReexecutionOf(parentRunId, reused))
        .build();
  }

  // A step is reused when it succeeded in the parent and every step it reads from is reused too,
  // so that no step of the new run reads inputs from two runs. Nodes come in the order they were
  // declared, which need not be dependency order: repeat until nothing changes.
  private static List<ReusedStep> reusable(JobSnapshot job, ParentRun parent) {
    Set<String> reused = new LinkedHashSet<>();
    boolean changed = true;
    while (changed) {
      changed = false;
      for (NodeSnapshot node : job.getNodes()) {
        String key = node.getStepKey();
        if (!reused.contains(key)
            && parent.succeededOutputs().containsKey(key)
            && upstreamKeys(node).stream().allMatch(reused::contains)) {
          reused.add(key);
          changed = true;
        }
      }
    }
    List<ReusedStep> steps = new ArrayList<>();
    for (String key : reused) {
      steps.add(new ReusedStep(key, parent.succeededOutputs().get(key)));
    }
    return steps;
  }

  private static List<String> upstreamKeys(NodeSnapshot node) {
    return node.getUpstream().stream().map(InputBinding::getFromStepKey).toList();
  }
}
