package io.opflow.client.internal;

import io.opflow.core.HookDefinition;
import io.opflow.core.InputSource;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpNode;
import io.opflow.core.RetryPolicy;
import io.opflow.events.HookKind;
import io.opflow.protocol.HookRef;
import io.opflow.protocol.InputBinding;
import io.opflow.protocol.JobSnapshot;
import io.opflow.protocol.NodeSnapshot;
import io.opflow.protocol.RetryPolicySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the job snapshot a run request carries, so the coordinator loads no user code. */
public final class JobSnapshots {
  private JobSnapshots() {}

  /**
   * Returns the snapshot of a job.
   *
   * @param job the job
   * @param codeVersion the version of the code that defined it
   * @return nodes in order with their upstream bindings, hooks, retry policy and tags
   */
  public static JobSnapshot of(JobDefinition job, String codeVersion) {
    List<NodeSnapshot> nodes = new ArrayList<>();
    for (OpNode node : job.nodes()) {
      nodes.add(node(job, node));
    }
    return JobSnapshot.newBuilder()
        .setJobName(job.name())
        .setCodeVersion(codeVersion)
        .setNodes(nodes)
        .build();
  }

  private static NodeSnapshot node(JobDefinition job, OpNode node) {
    return NodeSnapshot.newBuilder()
        .setStepKey(node.name())
        .setOpName(node.op().name())
        .setUpstream(upstream(node))
        .setHooks(hooks(job.hooksFor(node.name())))
        .setRetryPolicy(retryPolicy(node.op().retryPolicy()))
        .setTags(Map.copyOf(node.op().tags()))
        .build();
  }

  private static List<InputBinding> upstream(OpNode node) {
    List<InputBinding> bindings = new ArrayList<>();
    for (Map.Entry<String, InputSource> input : node.inputs().entrySet()) {
      bindings.add(
          new InputBinding(input.getKey(), input.getValue().node(), input.getValue().output()));
    }
    return bindings;
  }

  private static List<HookRef> hooks(List<HookDefinition> hooks) {
    return hooks.stream().map(h -> new HookRef(h.name(), kindOf(h), h.firesForRetry())).toList();
  }

  // A retry hook reacts to a failed attempt; v1 readers know no RETRY kind, hence the flag beside
  // it.
  private static HookKind kindOf(HookDefinition hook) {
    return hook.firesForRetry() ? HookKind.FAILURE : HookKind.valueOf(hook.kind().name());
  }

  private static RetryPolicySnapshot retryPolicy(RetryPolicy policy) {
    return RetryPolicySnapshot.newBuilder()
        .setMaxRetries(policy.maxRetries())
        .setDelayMillis(policy.delay().toMillis())
        .setBackoffMultiplier(policy.backoffMultiplier())
        .setRetryOn(List.copyOf(policy.retryOn()))
        .build();
  }
}
