package io.opflow.coordinator.internal;

import io.opflow.core.InputSource;
import io.opflow.core.RetryPolicy;
import io.opflow.core.plan.PlannedStep;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of a job snapshot as the coordinator stores it: everything needed to rebuild its {@link
 * PlannedStep} without user code.
 *
 * @param stepKey the node's step key
 * @param opName the op it invokes
 * @param inputs input name to the upstream step and output it reads
 * @param retry the node's retry policy
 */
record StepSpec(String stepKey, String opName, Map<String, Binding> inputs, Retry retry) {

  /**
   * Where an input comes from.
   *
   * @param step the upstream step key
   * @param output the upstream output name
   */
  record Binding(String step, String output) {
    InputSource toSource() {
      return new InputSource(step, output);
    }
  }

  /**
   * A retry policy as plain data.
   *
   * @param maxRetries retries after the first attempt
   * @param delayMillis delay before the first retry
   * @param backoffMultiplier factor applied to each later delay
   * @param retryOn retried error type names; empty means all
   */
  record Retry(int maxRetries, long delayMillis, double backoffMultiplier, List<String> retryOn) {
    RetryPolicy toPolicy() {
      return RetryPolicy.builder()
          .maxRetries(maxRetries)
          .delay(Duration.ofMillis(delayMillis))
          .backoffMultiplier(backoffMultiplier)
          .retryOnTypeNames(retryOn.toArray(String[]::new))
          .build();
    }
  }

  StepSpec {
    inputs = new LinkedHashMap<>(inputs);
  }

  PlannedStep toPlannedStep() {
    Map<String, InputSource> sources = new LinkedHashMap<>();
    inputs.forEach((name, binding) -> sources.put(name, binding.toSource()));
    return new PlannedStep(stepKey, opName, sources, retry.toPolicy());
  }
}
