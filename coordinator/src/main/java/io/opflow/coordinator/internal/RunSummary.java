package io.opflow.coordinator.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The small changing record of an active run: how many steps have not ended, whether it was
 * canceled, and the errors of its failed steps. Mutable, owned by the stream task of the run's
 * partition; stored as JSON.
 */
final class RunSummary {
  private int remaining;
  private boolean canceled;
  private String cancelReason;
  private Map<String, String> failures = new LinkedHashMap<>();

  private RunSummary() {}

  static RunSummary of(int steps) {
    RunSummary summary = new RunSummary();
    summary.remaining = steps;
    return summary;
  }

  int remaining() {
    return remaining;
  }

  void stepEnded() {
    remaining--;
  }

  boolean canceled() {
    return canceled;
  }

  String cancelReason() {
    return cancelReason == null ? "canceled" : cancelReason;
  }

  void cancel(String reason) {
    canceled = true;
    cancelReason = reason;
  }

  /** Returns the failed steps with their error summaries, in the order they failed. */
  Map<String, String> failures() {
    return failures;
  }

  void failed(String stepKey, String summary) {
    failures.put(stepKey, summary);
  }
}
