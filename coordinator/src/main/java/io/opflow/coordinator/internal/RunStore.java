package io.opflow.coordinator.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The stores of the coordinator, and an in-memory cache of compiled plans. An active run is its
 * plan (written once), its summary (a few bytes, written when a step ends), one small record per
 * step that left pending, and the outputs of its successful steps, each written once. Finished runs
 * keep only a small record, purged after their retention.
 */
final class RunStore {
  private static final int PLAN_CACHE_SIZE = 10_000;

  /**
   * The coordinator's stores.
   *
   * @param plans run id to plan
   * @param summaries run id to summary
   * @param steps step id to step record
   * @param outputs step id to the step's outputs as JSON
   * @param finished run id to the record of a finished run
   * @param finishedByTime finish time and run id to run id, for purging
   */
  record Stores(
      KeyValueStore<String, RunPlan> plans,
      KeyValueStore<String, RunSummary> summaries,
      KeyValueStore<String, StepRecord> steps,
      KeyValueStore<String, Map<String, String>> outputs,
      KeyValueStore<String, FinishedRun> finished,
      KeyValueStore<String, String> finishedByTime) {}

  private final Stores stores;
  private final Map<String, PlanIndex> planCache =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PlanIndex> eldest) {
          return size() > PLAN_CACHE_SIZE;
        }
      };

  private final TasksInFlight tasksInFlight;

  RunStore(Stores stores, TasksInFlight tasksInFlight) {
    this.stores = stores;
    this.tasksInFlight = tasksInFlight;
  }

  /** Returns the in-memory count of this stream task's queued and running steps per partition. */
  TasksInFlight tasksInFlight() {
    return tasksInFlight;
  }

  /** Returns the compiled plan of an active run, or null when the run is not active. */
  PlanIndex plan(String runId) {
    PlanIndex cached = planCache.get(runId);
    if (cached != null) {
      return cached;
    }
    RunPlan plan = stores.plans().get(runId);
    if (plan == null) {
      return null;
    }
    PlanIndex compiled = PlanIndex.of(plan);
    planCache.put(runId, compiled);
    return compiled;
  }

  RunSummary summary(String runId) {
    return stores.summaries().get(runId);
  }

  FinishedRun finished(String runId) {
    return stores.finished().get(runId);
  }

  boolean known(String runId) {
    return plan(runId) != null || finished(runId) != null;
  }

  /** Stores a new run's plan and summary. */
  PlanIndex start(RunPlan plan, RunSummary summary) {
    stores.plans().put(plan.runId(), plan);
    stores.summaries().put(plan.runId(), summary);
    PlanIndex compiled = PlanIndex.of(plan);
    planCache.put(plan.runId(), compiled);
    return compiled;
  }

  StepRecord step(String runId, String stepKey) {
    StepRecord step = stores.steps().get(StepIds.of(runId, stepKey));
    return step == null ? StepRecord.PENDING : step;
  }

  void saveStep(String runId, String stepKey, StepRecord step) {
    stores.steps().put(StepIds.of(runId, stepKey), step);
  }

  void saveSummary(String runId, RunSummary summary) {
    stores.summaries().put(runId, summary);
  }

  Map<String, String> outputs(String runId, String stepKey) {
    Map<String, String> outputs = stores.outputs().get(StepIds.of(runId, stepKey));
    return outputs == null ? Map.of() : outputs;
  }

  void saveOutputs(String runId, String stepKey, Map<String, String> outputs) {
    stores.outputs().put(StepIds.of(runId, stepKey), outputs);
  }

  /** Replaces an active run by the small record of a finished one, deleting all it stored. */
  void finish(PlanIndex plan, FinishedRun run) {
    String runId = run.runId();
    if (plan != null) {
      for (String stepKey : plan.stepKeys()) {
        String id = StepIds.of(runId, stepKey);
        stores.steps().delete(id);
        deleteOutputs(plan, stepKey, id);
      }
    }
    stores.plans().delete(runId);
    stores.summaries().delete(runId);
    planCache.remove(runId);
    stores.finished().put(runId, run);
    stores.finishedByTime().put(timeKey(run.finishedAt(), runId), runId);
  }

  // A step that no other step follows has no outputs stored (RunDriver.keepOutputs), so a delete
  // would only write a tombstone to the changelog; a look finds those an earlier version stored.
  private void deleteOutputs(PlanIndex plan, String stepKey, String id) {
    if (!plan.successors(stepKey).isEmpty() || stores.outputs().get(id) != null) {
      stores.outputs().delete(id);
    }
  }

  /** Calls {@code action} with every stored step record; for rebuilding in-memory timers. */
  void forEachStep(BiConsumer<String, StepRecord> action) {
    try (KeyValueIterator<String, StepRecord> all = stores.steps().all()) {
      while (all.hasNext()) {
        KeyValue<String, StepRecord> entry = all.next();
        action.accept(entry.key, entry.value);
      }
    }
  }

  /** Forgets the finished runs that ended before {@code cutoff}; returns how many. */
  int purgeFinishedBefore(long cutoff) {
    String end = timeKey(cutoff, "");
    List<KeyValue<String, String>> expired = new ArrayList<>();
    // Keys sort by zero-padded finish time, so the scan stops at the first run still retained.
    try (KeyValueIterator<String, String> all = stores.finishedByTime().all()) {
      while (all.hasNext()) {
        KeyValue<String, String> entry = all.next();
        if (entry.key.compareTo(end) >= 0) {
          break;
        }
        expired.add(entry);
      }
    }
    expired.forEach(
        entry -> {
          stores.finishedByTime().delete(entry.key);
          stores.finished().delete(entry.value);
        });
    return expired.size();
  }

  private static String timeKey(long finishedAt, String runId) {
    return String.format("%019d/%s", Math.max(0, finishedAt), runId);
  }
}
