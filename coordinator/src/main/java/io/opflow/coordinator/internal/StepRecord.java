package io.opflow.coordinator.internal;

import io.opflow.core.lifecycle.StepState;
import java.util.List;

/**
 * The stored state of one step of an active run, a few dozen bytes: its lifecycle state and
 * attempt, what its successful attempt produced, its retry time, and its error. A step with no
 * record is {@link StepState#PENDING}.
 *
 * @param state the lifecycle state
 * @param attempt the current attempt, 0 before the first
 * @param outputs the output names the successful attempt produced
 * @param outputsKept whether those outputs are stored for downstream steps (false when they were
 *     larger than the coordinator keeps)
 * @param retryAt when an up-for-retry step is issued again, epoch millis; 0 otherwise
 * @param workerId the worker that started the current attempt, or null
 * @param error a summary of the error that ended the step, or null
 * @param issuedAt when the current attempt's task was issued, epoch millis
 * @param taskPartition the {@code step-tasks} partition the current attempt's task was sent to, or
 *     -1
 */
record StepRecord(
    StepState state,
    int attempt,
    List<String> outputs,
    boolean outputsKept,
    long retryAt,
    String workerId,
    String error,
    long issuedAt,
    int taskPartition) {

  /** The state of a step no record was written for. */
  static final StepRecord PENDING =
      new StepRecord(StepState.PENDING, 0, List.of(), false, 0, null, null, 0, -1);

  StepRecord {
    outputs = List.copyOf(outputs);
  }

  /**
   * A step a re-execution takes from its parent run: succeeded there, not run in this run (attempt
   * 0, no worker), with the outputs it produced.
   */
  static StepRecord reused(List<String> outputs, boolean outputsKept) {
    return new StepRecord(StepState.SUCCEEDED, 0, outputs, outputsKept, 0, null, null, 0, -1);
  }

  /** Returns this step moved to {@code next}, checked against the lifecycle's transition table. */
  StepRecord moveTo(StepState next) {
    return new StepRecord(
        state.moveTo(next),
        attempt,
        outputs,
        outputsKept,
        retryAt,
        workerId,
        error,
        issuedAt,
        taskPartition);
  }

  StepRecord queued(int nextAttempt, long now, int partition) {
    return new StepRecord(
        state.moveTo(StepState.QUEUED),
        nextAttempt,
        List.of(),
        false,
        0,
        null,
        null,
        now,
        partition);
  }

  /**
   * Returns this running attempt queued again under the same number: the one move back the
   * lifecycle allows, for a chained attempt no worker announced, so never for one that said it ran.
   */
  StepRecord requeued(long now, int partition) {
    if (state != StepState.RUNNING) {
      throw new IllegalStateException("only a running attempt is queued again, not " + state);
    }
    return new StepRecord(
        StepState.QUEUED, attempt, List.of(), false, 0, null, null, now, partition);
  }

  StepRecord running(String worker) {
    return new StepRecord(
        state.moveTo(StepState.RUNNING),
        attempt,
        outputs,
        outputsKept,
        0,
        worker,
        null,
        issuedAt,
        taskPartition);
  }

  StepRecord succeeded(List<String> produced, boolean kept) {
    return new StepRecord(
        state.moveTo(StepState.SUCCEEDED),
        attempt,
        produced,
        kept,
        0,
        workerId,
        null,
        issuedAt,
        taskPartition);
  }

  StepRecord failed(String summary, StepState next, long retryTime) {
    return new StepRecord(
        state.moveTo(next),
        attempt,
        List.of(),
        false,
        retryTime,
        workerId,
        summary,
        issuedAt,
        taskPartition);
  }

  /** Returns whether a result for {@code resultAttempt} may still change this step. */
  boolean awaitsResultOf(int resultAttempt) {
    return attempt == resultAttempt && (state == StepState.QUEUED || state == StepState.RUNNING);
  }
}
