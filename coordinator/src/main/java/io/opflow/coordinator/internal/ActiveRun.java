package io.opflow.coordinator.internal;

import io.opflow.core.lifecycle.StepState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One active run while a command changes it: its compiled plan, its summary, and the step records
 * read or changed so far. Reads only the steps a command asks for, and writes back only those it
 * changed, so the cost of an event grows with its fan-out, not with the run.
 */
final class ActiveRun {
  private final PlanIndex plan;
  private final RunSummary summary;
  private final RunStore store;
  private final Map<String, StepRecord> read = new LinkedHashMap<>();
  private final Map<String, StepRecord> changed = new LinkedHashMap<>();
  private boolean summaryChanged;

  private ActiveRun(PlanIndex plan, RunSummary summary, RunStore store) {
    this.plan = plan;
    this.summary = summary;
    this.store = store;
  }

  /** Loads an active run; null when the run is not active. */
  static ActiveRun load(RunStore store, String runId) {
    PlanIndex plan = store.plan(runId);
    if (plan == null) {
      return null;
    }
    return new ActiveRun(plan, store.summary(runId), store);
  }

  /** Wraps a run just started; its plan and summary are stored already. */
  static ActiveRun started(RunStore store, PlanIndex plan, RunSummary summary) {
    return new ActiveRun(plan, summary, store);
  }

  PlanIndex plan() {
    return plan;
  }

  String runId() {
    return plan.runId();
  }

  RunSummary summary() {
    return summary;
  }

  StepRecord step(String stepKey) {
    StepRecord step = changed.get(stepKey);
    if (step == null) {
      step = read.computeIfAbsent(stepKey, key -> store.step(plan.runId(), key));
    }
    return step;
  }

  /** Changes a step; a step that ends here counts down the steps left in the summary. */
  void update(String stepKey, StepRecord next) {
    StepRecord old = step(stepKey);
    store.tasksInFlight().changed(old, next);
    if (!old.state().isTerminal() && next.state().isTerminal()) {
      summary.stepEnded();
      summaryChanged = true;
    }
    if (next.state() == StepState.FAILED) {
      summary.failed(stepKey, next.error());
      summaryChanged = true;
    }
    changed.put(stepKey, next);
  }

  void summaryChanged() {
    summaryChanged = true;
  }

  boolean isFinished() {
    return summary.remaining() <= 0;
  }

  /** Writes back the changed steps and, if it changed, the summary. */
  void save() {
    changed.forEach((stepKey, step) -> store.saveStep(plan.runId(), stepKey, step));
    read.putAll(changed); // what is stored now, should this run be changed again
    changed.clear();
    if (summaryChanged) {
      store.saveSummary(plan.runId(), summary);
      summaryChanged = false;
    }
  }
}
