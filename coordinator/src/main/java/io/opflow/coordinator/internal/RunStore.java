package io.opflow.coordinator.internal;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The two stores of the coordinator: active runs, and the small records of finished ones. Active
 * runs are kept apart so the punctuators scan only them.
 */
final class RunStore {
  private final KeyValueStore<String, RunState> active;
  private final KeyValueStore<String, FinishedRun> finished;

  RunStore(KeyValueStore<String, RunState> active, KeyValueStore<String, FinishedRun> finished) {
    this.active = active;
    this.finished = finished;
  }

  RunState active(String runId) {
    return active.get(runId);
  }

  FinishedRun finished(String runId) {
    return finished.get(runId);
  }

  boolean known(String runId) {
    return active(runId) != null || finished(runId) != null;
  }

  void save(RunState run) {
    active.put(run.runId(), run);
  }

  void finish(FinishedRun run) {
    active.delete(run.runId());
    finished.put(run.runId(), run);
  }

  /** Returns the active runs that hold a lease or a pending retry; a copy, safe to modify under. */
  List<RunState> withTimers() {
    List<RunState> runs = new ArrayList<>();
    try (KeyValueIterator<String, RunState> all = active.all()) {
      while (all.hasNext()) {
        KeyValue<String, RunState> entry = all.next();
        if (entry.value.hasTimers()) {
          runs.add(entry.value);
        }
      }
    }
    return runs;
  }
}
