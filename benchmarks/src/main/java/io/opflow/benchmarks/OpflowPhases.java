package io.opflow.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The phases on an Opflow cluster with the main workers: readiness, warm-up, latency (chain runs
 * one after another) and throughput (wide runs submitted at once), each step a no-op with one
 * success hook.
 */
final class OpflowPhases {
  private final Session session;
  private final BenchmarkArgs args;
  private final Report report;

  OpflowPhases(Session session) {
    this.session = session;
    this.args = session.args();
    this.report = session.report();
  }

  /**
   * Runs one wide and one chain run, untimed, so that every role has joined its group and the
   * cluster answers, then the warm-up runs: thousands of steps, so that the JIT has compiled the
   * hot path before anything is timed.
   */
  void warmUp() throws Exception {
    System.out.println("Opflow: first runs, then warm-up...");
    long start = System.nanoTime();
    awaitWide(session.submit(BenchmarkDefinitions.WIDE, 1));
    awaitChain(session.submit(BenchmarkDefinitions.CHAIN, 1));
    int wideRuns = args.get("warmup.wide.runs");
    int chainRuns = args.get("warmup.chain.runs");
    awaitWide(session.submit(BenchmarkDefinitions.WIDE, wideRuns));
    for (int i = 0; i < chainRuns; i++) {
      awaitChain(session.submit(BenchmarkDefinitions.CHAIN, 1));
    }
    long steps =
        (long) (wideRuns + 1) * (args.get("wide.steps") + 1)
            + (long) (chainRuns + 1) * args.get("chain.steps");
    double warmUpSeconds = (System.nanoTime() - start) / 1e9;
    report.note(
        "warm-up",
        String.format(
            "%d steps (%d wide runs, %d chain runs, plus one of each) in %.1f s; %s",
            steps, wideRuns, chainRuns, warmUpSeconds, settleJit()));
    Stamps.clear();
  }

  // Only where the roles run in this JVM: its compilers are then theirs too.
  private String settleJit() throws InterruptedException {
    int longest = args.get("warmup.settle.seconds");
    if (!session.deployment().stampsHere() || longest == 0) {
      return "no wait for the JIT";
    }
    JitSettle.Result settled = JitSettle.await(Duration.ofSeconds(longest));
    return String.format(
        settled.quiet()
            ? "then the JIT compilers went quiet after %.1f s"
            : "then the JIT compilers were still busy after %.1f s",
        settled.waited().toNanos() / 1e9);
  }

  /** Waits for wide runs, then lets the event reader forget them: the traces are returned. */
  private List<RunTrace> awaitWide(List<String> runIds) throws InterruptedException {
    List<RunTrace> traces =
        session.tap().awaitRuns(runIds, args.get("wide.steps") + 1, session.timeout());
    session.tap().forget(runIds);
    return traces;
  }

  /** Waits for chain runs, then lets the event reader forget them: the traces are returned. */
  private List<RunTrace> awaitChain(List<String> runIds) throws InterruptedException {
    List<RunTrace> traces =
        session.tap().awaitRuns(runIds, args.get("chain.steps"), session.timeout());
    session.tap().forget(runIds);
    return traces;
  }

  /** Chain runs one after another: the step-to-step hop and the hook latency, unloaded. */
  void latency() throws Exception {
    int steps = args.get("chain.steps");
    int runs = args.get("chain.runs");
    System.out.printf("Opflow: %d chain runs of %d steps...%n", runs, steps);
    Histogram runMillis = new Histogram(3);
    int succeeded = 0;
    int lost = 0;
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      String runId = session.submit(BenchmarkDefinitions.CHAIN, 1).get(0);
      RunTrace trace = awaitChain(List.of(runId)).get(0);
      lost += trace.workerLostVerdicts();
      if (trace.succeeded()) {
        succeeded++;
        runMillis.recordValue((trace.lastHookRead() - start) / 1_000_000);
        addLatencies(runId, trace, steps);
      }
    }
    report.note(
        "latency: chain run, submit to last hook (mean)",
        String.format("%.0f ms for %d steps", runMillis.getMean(), steps));
    report.note("latency: " + outcomes(succeeded, runs, lost), "");
    report.note(
        "latency: measured",
        String.format("%d hops, %d hooks", hops().getTotalCount(), hooks().getTotalCount()));
  }

  private void addLatencies(String runId, RunTrace trace, int steps) {
    Hops.addReadTimes(trace, steps, report.hopReads);
    Hops.addEventTimes(trace, steps, report.hopEvents);
    Hops.addReadHookLatencies(trace, report.hookReads);
    if (session.deployment().stampsHere()) {
      Map<String, Stamps.StepStamps> stamps = Stamps.of(runId);
      Hops.addStampHops(stamps, steps, report.hopStamps);
      Hops.addStampHookLatencies(stamps, report.hookStamps);
    }
  }

  private Histogram hops() {
    return report.summary().hop();
  }

  private Histogram hooks() {
    return report.summary().hook();
  }

  private static String outcomes(long succeeded, int runs, int lost) {
    return String.format(
        "%d of %d runs succeeded; %d WorkerLost verdicts published", succeeded, runs, lost);
  }

  /**
   * Wide runs submitted at once: steps per second, each step counted when its hook's event is read;
   * over the same span, CPU per role and records and bytes written per topic.
   */
  void throughput() throws Exception {
    int runs = args.get("wide.runs");
    int stepsPerRun = args.get("wide.steps") + 1;
    System.out.printf("Opflow: %d wide runs of %d steps at once...%n", runs, stepsPerRun);
    Stamps.clear();
    Deployment.ResourceMeter meter = session.deployment().resourceMeter();
    Map<String, TopicUsage.Totals> topicsBefore = TopicUsage.snapshot(session.admin());
    meter.begin();
    long start = System.nanoTime();
    List<String> runIds = session.submit(BenchmarkDefinitions.WIDE, runs);
    long submitted = System.nanoTime();
    List<RunTrace> traces = awaitWide(runIds);
    long end = traces.stream().mapToLong(RunTrace::lastHookRead).max().orElseThrow();
    long steps = traces.stream().mapToLong(RunTrace::hooksCompleted).sum();
    List<String> cpu = meter.end(steps);
    report.stepsPerSecond = Hops.perSecond(steps, end - start);
    report.note(
        "throughput: steps with their success hook",
        String.format(
            "%d of %d in %.1f s; submitting took %.1f s",
            steps, (long) runs * stepsPerRun, (end - start) / 1e9, (submitted - start) / 1e9));
    long succeeded = traces.stream().filter(RunTrace::succeeded).count();
    int lost = traces.stream().mapToInt(RunTrace::workerLostVerdicts).sum();
    report.note("throughput: " + outcomes(succeeded, runs, lost), "");
    addLoadedHookLatencies(runIds, traces);
    report.section(cpuTitle(steps, end - start), cpu);
    // Let the last offset commits and transaction markers land before reading the topics.
    TimeUnit.MILLISECONDS.sleep(500);
    Map<String, TopicUsage.Totals> written =
        TopicUsage.between(topicsBefore, TopicUsage.snapshot(session.admin()));
    report.section(
        "records and bytes written during the throughput phase (" + steps + " steps):",
        TopicUsage.table(written, steps));
  }

  private void addLoadedHookLatencies(List<String> runIds, List<RunTrace> traces) {
    for (int i = 0; i < runIds.size(); i++) {
      Hops.addReadHookLatencies(traces.get(i), report.loadedHookReads);
      if (session.deployment().stampsHere()) {
        Hops.addStampHookLatencies(Stamps.of(runIds.get(i)), report.loadedHookStamps);
      }
    }
  }

  private String cpuTitle(long steps, long elapsedNanos) {
    return String.format(
        "CPU per role during the throughput phase (%d steps in %.1f s wall, %d cores):",
        steps, elapsedNanos / 1e9, Runtime.getRuntime().availableProcessors());
  }
}
