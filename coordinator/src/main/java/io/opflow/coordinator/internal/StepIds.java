package io.opflow.coordinator.internal;

/** The store key of one step of a run: run id and step key joined by {@code /}. */
final class StepIds {
  private StepIds() {}

  static String of(String runId, String stepKey) {
    return runId + "/" + stepKey;
  }

  /** Returns the run id of a step id. Run ids contain no {@code /}; step keys may not either. */
  static String runId(String stepId) {
    return stepId.substring(0, stepId.indexOf('/'));
  }

  static String stepKey(String stepId) {
    return stepId.substring(stepId.indexOf('/') + 1);
  }
}
