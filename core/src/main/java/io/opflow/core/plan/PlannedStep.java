package io.opflow.core.plan;

import io.opflow.core.InputSource;
import io.opflow.core.RetryPolicy;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One step of an execution plan: enough to schedule it without loading user code.
 *
 * @param stepKey the node name
 * @param opName the op it invokes
 * @param inputs where each input comes from, by input name
 * @param retryPolicy the op's retry policy
 */
public record PlannedStep(
    String stepKey, String opName, Map<String, InputSource> inputs, RetryPolicy retryPolicy) {
  /** Copies the inputs. */
  public PlannedStep {
    inputs = Map.copyOf(inputs);
  }

  /** Returns the step keys this step reads from. */
  public Set<String> upstream() {
    Set<String> upstream = new TreeSet<>();
    inputs.values().forEach(source -> upstream.add(source.node()));
    return upstream;
  }
}
