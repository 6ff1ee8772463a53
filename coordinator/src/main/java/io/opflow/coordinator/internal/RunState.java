package io.opflow.coordinator.internal;

import io.opflow.core.plan.ExecutionPlan;
import io.opflow.core.plan.RunProgress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.LongStream;

/**
 * The stored state of one active run: its plan, scheduling progress, recorded outputs, leases,
 * pending retries and lost verdicts. Stored as JSON in the runs store; mutable, owned by the one
 * stream task of the run's partition.
 */
final class RunState {

  /**
   * The lease of a running attempt.
   *
   * @param attempt the attempt holding it
   * @param workerId the worker running it
   * @param startedAt when the coordinator first saw the attempt start, epoch millis
   * @param expiresAt when it expires, epoch millis
   */
  record Lease(int attempt, String workerId, long startedAt, long expiresAt) {}

  private String runId;
  private String jobName;
  private String codeVersion;
  private String runConfigJson;
  private long startedAt;
  private String cancelReason;
  private List<StepSpec> steps = new ArrayList<>();
  private RunProgress.Snapshot progress;
  private Map<String, Map<String, String>> outputs = new LinkedHashMap<>();
  private Map<String, String> errors = new LinkedHashMap<>();
  private Map<String, Lease> leases = new LinkedHashMap<>();
  private Map<String, Long> retryAt = new LinkedHashMap<>();
  private Map<String, Integer> lostVerdicts = new LinkedHashMap<>();

  private RunState() {}

  static RunState start(
      String runId,
      String jobName,
      String codeVersion,
      String runConfigJson,
      List<StepSpec> steps,
      long startedAt) {
    RunState run = new RunState();
    run.runId = runId;
    run.jobName = jobName;
    run.codeVersion = codeVersion;
    run.runConfigJson = runConfigJson;
    run.steps = new ArrayList<>(steps);
    run.startedAt = startedAt;
    run.progress = new RunProgress(run.plan()).snapshot();
    return run;
  }

  String runId() {
    return runId;
  }

  String jobName() {
    return jobName;
  }

  String codeVersion() {
    return codeVersion;
  }

  String runConfigJson() {
    return runConfigJson;
  }

  long startedAt() {
    return startedAt;
  }

  String cancelReason() {
    return cancelReason;
  }

  void cancelReason(String reason) {
    this.cancelReason = reason;
  }

  ExecutionPlan plan() {
    return ExecutionPlan.of(steps.stream().map(StepSpec::toPlannedStep).toList());
  }

  /** Returns a live progress object; store its changes back with {@link #update}. */
  RunProgress progress() {
    return RunProgress.restore(plan(), progress);
  }

  void update(RunProgress changed) {
    this.progress = changed.snapshot();
  }

  String opName(String stepKey) {
    return steps.stream()
        .filter(s -> s.stepKey().equals(stepKey))
        .map(StepSpec::opName)
        .findFirst()
        .orElseThrow();
  }

  StepSpec spec(String stepKey) {
    return steps.stream().filter(s -> s.stepKey().equals(stepKey)).findFirst().orElseThrow();
  }

  Map<String, String> outputsOf(String stepKey) {
    return outputs.getOrDefault(stepKey, Map.of());
  }

  void recordOutputs(String stepKey, Map<String, String> values) {
    outputs.put(stepKey, new LinkedHashMap<>(values));
  }

  Map<String, String> errors() {
    return errors;
  }

  void recordError(String stepKey, String summary) {
    errors.put(stepKey, summary);
  }

  Map<String, Lease> leases() {
    return leases;
  }

  Map<String, Long> retryAt() {
    return retryAt;
  }

  boolean verdictPublished(String stepKey, int attempt) {
    return Integer.valueOf(attempt).equals(lostVerdicts.get(stepKey));
  }

  void markVerdictPublished(String stepKey, int attempt) {
    lostVerdicts.put(stepKey, attempt);
  }

  /** Forgets the lease, verdict and retry timer of a step whose attempt ended. */
  void clearTimers(String stepKey) {
    leases.remove(stepKey);
    lostVerdicts.remove(stepKey);
    retryAt.remove(stepKey);
  }

  void clearAllTimers() {
    leases.clear();
    lostVerdicts.clear();
    retryAt.clear();
  }

  /**
   * Returns when a punctuation next has work for this run: the earliest lease without a published
   * verdict, or the earliest retry; empty when there is none.
   */
  OptionalLong nextDeadline() {
    LongStream leaseEnds =
        leases.entrySet().stream()
            .filter(e -> !verdictPublished(e.getKey(), e.getValue().attempt()))
            .mapToLong(e -> e.getValue().expiresAt());
    LongStream retries = retryAt.values().stream().mapToLong(Long::longValue);
    return LongStream.concat(leaseEnds, retries).min();
  }
}
