package io.opflow.coordinator.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The stores of the coordinator: active runs, the small records of finished ones, and each active
 * run's next deadline (lease end or retry time), so the punctuators scan small numbers and load
 * only the runs that have work due.
 */
final class RunStore {
  private final KeyValueStore<String, RunState> active;
  private final KeyValueStore<String, FinishedRun> finished;
  private final KeyValueStore<String, Long> deadlines;
  private final KeyValueStore<String, String> finishedByTime;

  RunStore(
      KeyValueStore<String, RunState> active,
      KeyValueStore<String, FinishedRun> finished,
      KeyValueStore<String, Long> deadlines,
      KeyValueStore<String, String> finishedByTime) {
    this.active = active;
    this.finished = finished;
    this.deadlines = deadlines;
    this.finishedByTime = finishedByTime;
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
    OptionalLong deadline = run.nextDeadline();
    if (deadline.isPresent()) {
      deadlines.put(run.runId(), deadline.getAsLong());
    } else {
      deadlines.delete(run.runId());
    }
  }

  void finish(FinishedRun run) {
    active.delete(run.runId());
    deadlines.delete(run.runId());
    finished.put(run.runId(), run);
    finishedByTime.put(timeKey(run.finishedAt(), run.runId()), run.runId());
  }

  /** Forgets the finished runs that ended before {@code cutoff}; returns how many. */
  int purgeFinishedBefore(long cutoff) {
    String end = timeKey(cutoff, "");
    List<KeyValue<String, String>> expired = new ArrayList<>();
    // Keys sort by zero-padded finish time, so the scan stops at the first run still retained.
    try (KeyValueIterator<String, String> all = finishedByTime.all()) {
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
          finishedByTime.delete(entry.key);
          finished.delete(entry.value);
        });
    return expired.size();
  }

  private static String timeKey(long finishedAt, String runId) {
    return String.format("%019d/%s", Math.max(0, finishedAt), runId);
  }

  /** Returns the active runs with a deadline at or before {@code now}; safe to modify under. */
  List<RunState> due(long now) {
    List<String> runIds = new ArrayList<>();
    try (KeyValueIterator<String, Long> all = deadlines.all()) {
      while (all.hasNext()) {
        KeyValue<String, Long> entry = all.next();
        if (entry.value <= now) {
          runIds.add(entry.key);
        }
      }
    }
    return runIds.stream().map(active::get).filter(Objects::nonNull).toList();
  }
}
