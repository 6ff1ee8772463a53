package io.opflow.benchmarks;

import io.opflow.client.OpflowClient;
import io.opflow.client.RunUpdate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one fault-matrix scenario shows: runs submitted, ended, stuck, failed and ended twice; steps
 * whose op returned more than once (a discarded attempt that ran on); hook keys fired 0 times, more
 * than once, or for a discarded attempt; WorkerLost verdicts, and among them those against an
 * attempt whose op returned (its worker was alive: a false verdict unless the scenario paused it);
 * the longest time from the fault to the start of a lost attempt's retry; the time from the fault
 * to the last run's end; and the scenario's other broken promises in words (a role that exited or
 * reports itself unhealthy, poison that was not dead-lettered). {@link #passed()} holds when every
 * promise held for the scenario.
 */
record Figures(
    String scenario,
    int submitted,
    int ended,
    int failed,
    int endedTwice,
    int opsRunTwice,
    int hooksMissing,
    int hooksTwice,
    int hooksForDiscarded,
    int workerLost,
    int liveWorkerLost,
    long retryMillis,
    long recoveredMillis,
    List<String> problems) {

  static final String HEADER =
      String.format(
          "%-23s %5s %5s %5s %6s %5s %6s %6s %6s %6s %6s %6s %7s %9s",
          "scenario",
          "runs",
          "ended",
          "stuck",
          "failed",
          "2ends",
          "ops2x",
          "hook0",
          "hook2x",
          "hookD",
          "lost",
          "live",
          "retry",
          "recovery");

  /** Scenarios in which a worker really is lost, so WorkerLost verdicts are right. */
  private static final Set<String> WORKER_LOST_EXPECTED =
      Set.of("worker-kill9", "worker-pause", "worker-partition");

  /** Scenarios in which no op may run twice: nothing fails but what is stopped gracefully. */
  private static final Set<String> NO_RERUN = Set.of("none", "workers-rolling-restart");

  /** Scenarios with a crash between a hook's effect and its record: duplicates are counted. */
  private static final Set<String> HOOK_CRASH_WINDOW = Set.of("hooks-runner-kill9");

  static Figures of(
      String scenario,
      List<String> runIds,
      Set<String> ended,
      OpflowClient client,
      List<String> ledger,
      FaultMatrix.Timings timings,
      List<String> problems) {
    Map<String, Integer> terminalRunEvents = new HashMap<>();
    int failed = 0;
    for (RunUpdate u : client.runEvents()) {
      if (runIds.contains(u.runId()) && !"STARTED".equals(u.status())) {
        terminalRunEvents.merge(u.runId(), 1, Integer::sum);
        if (!"SUCCEEDED".equals(u.status())) {
          failed++;
        }
      }
    }
    int endedTwice = (int) terminalRunEvents.values().stream().filter(n -> n > 1).count();
    List<String> lostAttempts = new ArrayList<>();
    long retryMillis = -1;
    for (String runId : runIds) {
      List<RunUpdate> steps =
          client.events(runId).stream().filter(u -> u.source() == RunUpdate.Source.STEP).toList();
      for (RunUpdate lost : steps) {
        if (lost.detail() == null || !lost.detail().contains("WorkerLost")) {
          continue;
        }
        lostAttempts.add(runId + "/" + lost.stepKey() + "/" + lost.attempt());
        long retryStarted = firstStart(steps, lost.stepKey(), lost.attempt() + 1);
        if (retryStarted > 0) {
          retryMillis = Math.max(retryMillis, retryStarted - timings.faultAtMillis());
        }
      }
    }
    Map<String, Integer> opReturns = new HashMap<>();
    Map<String, Integer> hookLines = new HashMap<>();
    Map<String, Set<String>> hookAttempts = new HashMap<>();
    for (String line : ledger) {
      String[] parts = line.split(" ", -1);
      String[] key = parts[1].split("/", -1);
      if (parts[0].equals("start") || !runIds.contains(key[0])) {
        continue;
      }
      String step = key[0] + "/" + key[1];
      if (parts[0].equals("op")) {
        opReturns.merge(step, 1, Integer::sum);
      } else {
        hookLines.merge(parts[1], 1, Integer::sum);
        hookAttempts.computeIfAbsent(step, s -> new HashSet<>()).add(key[2]);
      }
    }
    int opsRunTwice = (int) opReturns.values().stream().filter(n -> n > 1).count();
    // A verdict against an attempt whose op returned was passed on a live worker.
    Set<String> returned =
        ledger.stream()
            .filter(line -> line.startsWith("op "))
            .map(line -> line.substring(3))
            .collect(Collectors.toSet());
    int liveLost = (int) lostAttempts.stream().filter(returned::contains).count();
    int hooksTwice = (int) hookLines.values().stream().filter(n -> n > 1).count();
    int hooksForDiscarded =
        (int) hookAttempts.values().stream().filter(attempts -> attempts.size() > 1).count();
    int hooksMissing = 0;
    for (String runId : ended) {
      for (String step : List.of("work", "finish")) {
        if (!hookAttempts.containsKey(runId + "/" + step)) {
          hooksMissing++;
        }
      }
    }
    return new Figures(
        scenario,
        runIds.size(),
        ended.size(),
        failed,
        endedTwice,
        opsRunTwice,
        hooksMissing,
        hooksTwice,
        hooksForDiscarded,
        lostAttempts.size(),
        liveLost,
        retryMillis,
        timings.recoveredMillis(),
        List.copyOf(problems));
  }

  // When an attempt of a step was first seen started (a StepStarted), epoch millis, or -1.
  private static long firstStart(List<RunUpdate> steps, String stepKey, int attempt) {
    return steps.stream()
        .filter(u -> u.stepKey().equals(stepKey) && u.attempt() == attempt)
        .filter(u -> "STARTED".equals(u.status()))
        .mapToLong(RunUpdate::timestampMillis)
        .min()
        .orElse(-1);
  }

  int stuck() {
    return submitted - ended;
  }

  /** Whether the scenario kept every promise. */
  boolean passed() {
    boolean lostOk = liveWorkerLost == 0 || WORKER_LOST_EXPECTED.contains(scenario);
    boolean duplicatesOk = hooksTwice == 0 || HOOK_CRASH_WINDOW.contains(scenario);
    boolean rerunsOk = opsRunTwice == 0 || !NO_RERUN.contains(scenario);
    return problems.isEmpty()
        && rerunsOk
        && stuck() == 0
        && failed == 0
        && endedTwice == 0
        && hooksMissing == 0
        && hooksForDiscarded == 0
        && duplicatesOk
        && lostOk;
  }

  String line() {
    return String.format(
        Locale.ROOT,
        "%-23s %5d %5d %5d %6d %5d %6d %6d %6d %6d %6d %6d %7s %7.1f s  %s%s",
        scenario,
        submitted,
        ended,
        stuck(),
        failed,
        endedTwice,
        opsRunTwice,
        hooksMissing,
        hooksTwice,
        hooksForDiscarded,
        workerLost,
        liveWorkerLost,
        retryMillis < 0 ? "-" : String.format(Locale.ROOT, "%.1f s", retryMillis / 1000.0),
        recoveredMillis / 1000.0,
        passed() ? "ok" : "BROKEN",
        problems.isEmpty() ? "" : ": " + String.join("; ", problems));
  }
}
