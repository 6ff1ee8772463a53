package io.opflow.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Scaling with slow steps: runs of the {@code sleepy} job (independent steps that sleep, without
 * hooks) on 1, 2 and 4 workers of a fixed concurrency, as a fraction of the ideal throughput
 * (workers x concurrency / sleep); then a worker joining and one leaving the group while steps run,
 * with the longest time in which no step started.
 *
 * <p>Step start and end times are the ops' own {@link Stamps} when the workers run in the
 * benchmark's JVM, and otherwise the events' timestamps (StepStarted, or StepSucceeded minus the
 * op's duration; millisecond resolution).
 */
final class ScalingPhase {
  /** Steps per run of the sleepy job. */
  static final int STEPS_PER_RUN = 40;

  private final Session session;
  private final int concurrency;
  private final int sleepMillis;

  ScalingPhase(Session session) {
    this.session = session;
    this.concurrency = session.args().get("scaling.concurrency");
    this.sleepMillis = session.args().get("scaling.sleep.ms");
  }

  /** Runs the phase and adds its section to the report. */
  void run() throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "  %7s %7s %9s %10s %10s %9s",
            "workers", "steps", "elapsed", "steps/s", "ideal/s", "of ideal"));
    for (int workers : session.args().ints("scaling.workers")) {
      lines.addAll(measure(workers));
    }
    lines.addAll(churn());
    lines.add(
        String.format(
            "  step-tasks partitions: %d (a worker's share of the tasks is its share of them)",
            partitions()));
    session
        .report()
        .section(
            String.format(
                "scaling: steps sleeping %d ms, %d ops at once per worker, %d steps per run:",
                sleepMillis, concurrency, STEPS_PER_RUN),
            lines);
  }

  private List<String> measure(int workers) throws Exception {
    System.out.printf("Opflow: scaling with %d workers...%n", workers);
    List<AutoCloseable> started = session.startWorkers("scale", workers, concurrency, workers);
    double ideal = idealPerSecond(workers);
    int runs = runsFor(ideal * session.args().get("scaling.seconds"));
    Stamps.clear();
    List<String> runIds = session.submit(BenchmarkDefinitions.SLEEPY, runs);
    List<RunTrace> traces = session.tap().awaitRuns(runIds, 0, session.timeout());
    session.tap().forget(runIds);
    Session.stop(started);
    StepTimeline timeline = StepTimeline.of(runIds, traces, session.deployment().stampsHere());
    double elapsed = (timeline.lastEnd() - timeline.firstStart()) / 1e9;
    double rate = timeline.steps() / elapsed;
    String row =
        String.format(
            Locale.ROOT,
            "  %7d %7d %8.2fs %10.1f %10.1f %8.1f%%",
            workers,
            timeline.steps(),
            elapsed,
            rate,
            ideal,
            100 * rate / ideal);
    return List.of(row, idleReport(timeline.idle(workers * concurrency)));
  }

  private String idleReport(StepTimeline.Idle idle) {
    return String.format(
        Locale.ROOT,
        "          where the rest went: ops took %.2f ms to sleep %d; %.0f ms until every slot was"
            + " busy; then a freed slot waited %.2f ms on average for its next task; %.0f ms from"
            + " the last moment every slot was busy to the last op's end",
        idle.meanOpMillis(),
        sleepMillis,
        idle.rampMillis(),
        idle.refillMillisPerStep(),
        idle.tailMillis());
  }

  private double idealPerSecond(int workers) {
    return workers * concurrency * 1000.0 / sleepMillis;
  }

  private static int runsFor(double steps) {
    return (int) Math.max(1, Math.ceil(steps / STEPS_PER_RUN));
  }

  /**
   * When the join and the leave happened, on the clock of {@link #now()}.
   *
   * @param begin the work was submitted
   * @param joining the third worker was asked to start
   * @param joined it was up (its JVM runs, with {@code --processes}; it joins its group after)
   * @param left one of the first two was asked to stop
   */
  private record Churn(long begin, long joining, long joined, long left) {}

  /**
   * Starts 2 workers, adds a third after {@code scaling.churn.seconds}, closes one of the first two
   * as long after the third is up, keeps feeding them runs all along, and reports the longest gap
   * without a step start before the join, after it, and after the leave.
   */
  private List<String> churn() throws Exception {
    System.out.println("Opflow: scaling, a worker joins, then one leaves...");
    long seconds = session.args().get("scaling.churn.seconds");
    long stage = TimeUnit.SECONDS.toNanos(seconds);
    List<AutoCloseable> first = session.startWorkers("churn", 2, concurrency, 2);
    // Two seconds of the ideal work of 3 workers stay queued, however long a change takes.
    Feeder feeder = new Feeder(runsFor(idealPerSecond(3) * 2));
    Stamps.clear();
    long begin = now();
    feeder.feedUntil(begin + stage);
    long joining = now();
    CompletableFuture<AutoCloseable> third = async(() -> startWorker("churn-2"));
    feeder.feedWhile(third);
    long joined = now();
    feeder.feedUntil(joined + stage);
    long left = now();
    CompletableFuture<AutoCloseable> leaving = async(() -> close(first.get(0)));
    feeder.feedUntil(left + stage);
    leaving.get();
    List<RunTrace> traces = session.tap().awaitRuns(feeder.runIds, 0, session.timeout());
    session.tap().forget(feeder.runIds);
    Session.stop(List.of(first.get(1), third.get()));
    StepTimeline timeline =
        StepTimeline.of(feeder.runIds, traces, session.deployment().stampsHere());
    List<String> lines = churnReport(timeline, new Churn(begin, joining, joined, left), seconds);
    lines.add(
        String.format("    %d steps; %d runs succeeded", timeline.steps(), succeeded(traces)));
    return lines;
  }

  private AutoCloseable startWorker(String id) throws Exception {
    return session.deployment().startWorker(id, concurrency);
  }

  private static AutoCloseable close(AutoCloseable worker) throws Exception {
    worker.close();
    return worker;
  }

  /** Runs a blocking call on another thread, so that the feeder keeps feeding meanwhile. */
  private static CompletableFuture<AutoCloseable> async(Callable<AutoCloseable> call) {
    CompletableFuture<AutoCloseable> future = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                future.complete(call.call());
              } catch (Exception e) {
                future.completeExceptionally(e);
              }
            },
            "bench-scaling-change");
    thread.setDaemon(true);
    thread.start();
    return future;
  }

  /** Keeps a number of sleepy runs submitted and not yet ended, so that workers never run dry. */
  private final class Feeder {
    private final List<String> runIds = new ArrayList<>();
    private final int backlog;

    Feeder(int backlog) {
      this.backlog = backlog;
    }

    /** Tops the backlog up every 100 ms until {@code deadline}, on the clock of {@link #now()}. */
    void feedUntil(long deadline) throws InterruptedException {
      do {
        topUp();
      } while (now() < deadline);
    }

    /** Tops the backlog up every 100 ms until {@code change} is done. */
    void feedWhile(CompletableFuture<?> change) throws InterruptedException {
      do {
        topUp();
      } while (!change.isDone());
    }

    private void topUp() throws InterruptedException {
      int open = runIds.size() - session.tap().countEnded(runIds);
      if (open < backlog) {
        runIds.addAll(session.submit(BenchmarkDefinitions.SLEEPY, backlog - open));
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private static List<String> churnReport(StepTimeline timeline, Churn churn, long seconds) {
    long[] starts = timeline.sortedStarts();
    // The first second is left out of the baseline: workers ramp up and runs are still planned.
    long baseline =
        Stalls.longestGap(starts, churn.begin() + TimeUnit.SECONDS.toNanos(1), churn.joining());
    long afterJoin = Stalls.longestGap(starts, churn.joining(), churn.left());
    long afterLeave =
        Stalls.longestGap(starts, churn.left(), churn.left() + TimeUnit.SECONDS.toNanos(seconds));
    long lastStart = starts.length == 0 ? churn.begin() : starts[starts.length - 1];
    String leave = churn.left() < lastStart ? millis(afterLeave) : "- (no step started after it)";
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "  join/leave (2 workers, +1 after %d s, -1 %d s after it is up): longest time without"
                + " a step start",
            seconds, seconds));
    lines.add(
        String.format(
            Locale.ROOT,
            "    before the join %s (baseline), after the join %s, after the leave %s",
            millis(baseline),
            millis(afterJoin),
            leave));
    lines.add(
        String.format(
            Locale.ROOT,
            "    at +%.1f s a worker was started (up at +%.1f s), at +%.1f s one was closed;"
                + " last step start +%.1f s",
            seconds(churn.joining() - churn.begin()),
            seconds(churn.joined() - churn.begin()),
            seconds(churn.left() - churn.begin()),
            seconds(lastStart - churn.begin())));
    return lines;
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static long succeeded(List<RunTrace> traces) {
    return traces.stream().filter(RunTrace::succeeded).count();
  }

  /** Returns the clock the step times are on: nanoTime for stamps, epoch nanoseconds otherwise. */
  private long now() {
    return session.deployment().stampsHere()
        ? System.nanoTime()
        : TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
  }

  private int partitions() throws ExecutionException, InterruptedException {
    String topic = io.opflow.schemas.OpflowTopics.defaults().stepTasks();
    return session
        .admin()
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get()
        .get(topic)
        .partitions()
        .size();
  }

  /**
   * When the steps of some runs started and ended, in nanoseconds: nanoTime from the ops' stamps,
   * or epoch nanoseconds from the events. A class, not a record: it owns its arrays.
   */
  static final class StepTimeline {
    private final long[] starts; // every step's start
    private final long[] ends; // every step's end

    private StepTimeline(long[] starts, long[] ends) {
      this.starts = starts;
      this.ends = ends;
    }

    /**
     * Builds the timeline of some runs.
     *
     * @param runIds the runs
     * @param traces their traces, in the same order
     * @param fromStamps whether to use the ops' stamps rather than the events
     * @return the timeline
     */
    static StepTimeline of(List<String> runIds, List<RunTrace> traces, boolean fromStamps) {
      List<long[]> times = new ArrayList<>();
      for (int i = 0; i < runIds.size(); i++) {
        if (fromStamps) {
          Stamps.of(runIds.get(i)).values().stream()
              .filter(s -> s.opEntered >= 0 && s.opExited >= 0)
              .forEach(s -> times.add(new long[] {s.opEntered, s.opExited}));
        } else {
          traces.get(i).steps().values().stream()
              .filter(t -> t.startAt() >= 0 && t.succeededAt >= 0)
              .forEach(
                  t ->
                      times.add(
                          new long[] {millisToNanos(t.startAt()), millisToNanos(t.succeededAt)}));
        }
      }
      return new StepTimeline(
          times.stream().mapToLong(t -> t[0]).toArray(),
          times.stream().mapToLong(t -> t[1]).toArray());
    }

    /**
     * Builds a timeline from the steps' start and end times, in the same order.
     *
     * @param starts every step's start, nanoseconds
     * @param ends every step's end, nanoseconds
     * @return the timeline
     */
    static StepTimeline of(long[] starts, long[] ends) {
      return new StepTimeline(starts.clone(), ends.clone());
    }

    private static long millisToNanos(long millis) {
      return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    int steps() {
      return starts.length;
    }

    /**
     * Where the slots of a run of this timeline stood idle, from the first start to the last end.
     *
     * @param meanOpMillis the ops' mean duration
     * @param rampMillis from the first start until every slot was first busy
     * @param refillMillisPerStep idle slot time between those two moments, per step: how long a
     *     freed slot waited for its next task
     * @param tailMillis from the last moment every slot was busy to the last end
     */
    record Idle(
        double meanOpMillis, double rampMillis, double refillMillisPerStep, double tailMillis) {}

    /**
     * Returns where slots stood idle, given how many there were.
     *
     * @param slots workers x concurrency
     * @return the idle time, split into ramp, refill and tail
     */
    Idle idle(int slots) {
      int n = starts.length;
      if (n == 0) {
        return new Idle(0, 0, 0, 0);
      }
      long[][] changes = new long[2 * n][];
      double opNanos = 0;
      for (int i = 0; i < n; i++) {
        changes[2 * i] = new long[] {starts[i], 1};
        changes[2 * i + 1] = new long[] {ends[i], -1};
        opNanos += ends[i] - starts[i];
      }
      // An end before a start at the same instant: a slot is free before it is refilled.
      Arrays.sort(
          changes, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
      long firstFull = -1;
      long lastFull = -1;
      int busy = 0;
      for (long[] change : changes) {
        busy += (int) change[1];
        if (busy >= slots) {
          firstFull = firstFull < 0 ? change[0] : firstFull;
          lastFull = change[0];
        }
      }
      long first = changes[0][0];
      long last = changes[changes.length - 1][0];
      if (firstFull < 0) {
        return new Idle(opNanos / n / 1e6, (last - first) / 1e6, 0, 0);
      }
      double refillNanos = 0;
      busy = 0;
      long previous = first;
      for (long[] change : changes) {
        if (previous >= firstFull && previous < lastFull) {
          refillNanos += (double) (slots - busy) * (change[0] - previous);
        }
        busy += (int) change[1];
        previous = change[0];
      }
      return new Idle(
          opNanos / n / 1e6,
          (firstFull - first) / 1e6,
          refillNanos / n / 1e6,
          (last - lastFull) / 1e6);
    }

    long firstStart() {
      return Arrays.stream(starts).min().orElse(0);
    }

    long lastEnd() {
      return Arrays.stream(ends).max().orElse(0);
    }

    long[] sortedStarts() {
      long[] sorted = starts.clone();
      Arrays.sort(sorted);
      return sorted;
    }
  }
}
