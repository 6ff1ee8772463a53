package io.opflow.benchmarks;

import io.opflow.client.OpflowClient;
import io.opflow.coordinator.CoordinatorConfig;
import io.opflow.core.Definitions;
import io.opflow.core.config.RunConfig;
import io.opflow.testkit.EmbeddedKafkaBroker;
import io.opflow.testkit.cluster.OpflowCluster;
import io.opflow.worker.WorkerConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Measures Opflow beside the raw Kafka floor on one embedded broker, in one JVM: Kafka round-trip
 * latency and throughput first, then an Opflow cluster (coordinator, workers, hooks-runner) on the
 * same broker running no-op steps, each with one success hook. Prints a table of both.
 *
 * <pre>
 * mvn -B -q install -DskipTests
 * java -cp "benchmarks/target/opflow-benchmarks.jar:benchmarks/target/lib/*" \
 *     io.opflow.benchmarks.Benchmark [--KEY=VALUE ...]
 * </pre>
 *
 * <p>A command, not a test: numbers depend on the machine, so nothing here asserts on them.
 */
public final class Benchmark {
  private static final PrintStream OUT = System.out;

  private final BenchmarkArgs args;
  private final Map<String, String> results = new java.util.LinkedHashMap<>();
  private Histogram kafkaLatency;
  private double kafkaThroughput;
  private final Histogram hopsByRead = new Histogram(3);
  private final Histogram hopsByEventTime = new Histogram(3);
  private double stepsPerSecond;
  private double loadBefore;

  private Benchmark(BenchmarkArgs args) {
    this.args = args;
  }

  /**
   * Runs the benchmark and prints the table; exit code 2 on a bad argument.
   *
   * @param argv {@code --KEY=VALUE} arguments; see {@link BenchmarkArgs#DEFAULTS}
   * @throws Exception when a phase fails
   */
  public static void main(String[] argv) throws Exception {
    BenchmarkArgs args;
    try {
      args = BenchmarkArgs.parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      BenchmarkArgs.DEFAULTS.forEach((k, v) -> System.err.printf("  --%s=%s  %s%n", k, v[0], v[1]));
      System.exit(2);
      return;
    }
    new Benchmark(args).run();
    // Kafka and Kafka Streams may leave non-daemon threads behind after close.
    System.exit(0);
  }

  private void run() throws Exception {
    loadBefore = loadAverage();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
      measureKafka(broker.bootstrapServers());
      measureOpflow(broker.bootstrapServers());
    }
    printTable();
  }

  private void measureKafka(String bootstrapServers) throws Exception {
    KafkaRoundTrip kafka = new KafkaRoundTrip(bootstrapServers);
    OUT.printf("raw Kafka: %d round trips on one chain...%n", args.get("kafka.latency.count"));
    kafkaLatency = kafka.latency(args.get("kafka.latency.count"));
    int chains = args.get("kafka.throughput.chains");
    OUT.printf("raw Kafka: %d chains for %d s...%n", chains, args.get("kafka.throughput.seconds"));
    kafkaThroughput =
        kafka.throughput(chains, Duration.ofSeconds(args.get("kafka.throughput.seconds")));
  }

  private void measureOpflow(String bootstrapServers) throws Exception {
    Definitions defs = BenchmarkDefinitions.of(args.get("wide.steps"), args.get("chain.steps"));
    OUT.printf(
        "Opflow: coordinator, %d workers x %d, hooks-runner...%n",
        args.get("workers"), args.get("worker.concurrency"));
    try (OpflowCluster cluster = cluster(defs, bootstrapServers).start();
        EventTap tap = new EventTap(bootstrapServers, cluster.topics())) {
      OpflowClient client = cluster.client();
      warmUp(client, defs, tap);
      measureLatency(client, defs, tap);
      measureThroughput(client, defs, tap);
    }
  }

  private OpflowCluster cluster(Definitions defs, String bootstrapServers) {
    return OpflowCluster.builder()
        .definitions(defs)
        .bootstrapServers(bootstrapServers)
        .workers(args.get("workers"))
        .workerConfig(WorkerConfig.CONCURRENCY_CONFIG, args.get("worker.concurrency"))
        .coordinatorConfig(CoordinatorConfig.COMMIT_INTERVAL_MS, args.get("commit.interval.ms"))
        .build();
  }

  /** One run of each job, untimed: joins the consumer groups and warms the JIT. */
  private void warmUp(OpflowClient client, Definitions defs, EventTap tap) throws Exception {
    OUT.println("Opflow: warm-up...");
    String wide = client.submit(defs, BenchmarkDefinitions.WIDE, RunConfig.empty());
    String chain = client.submit(defs, BenchmarkDefinitions.CHAIN, RunConfig.empty());
    tap.awaitRuns(List.of(wide), args.get("wide.steps") + 1, timeout());
    tap.awaitRuns(List.of(chain), args.get("chain.steps"), timeout());
  }

  private void measureLatency(OpflowClient client, Definitions defs, EventTap tap)
      throws Exception {
    int steps = args.get("chain.steps");
    OUT.printf("Opflow: %d chain runs of %d steps...%n", args.get("chain.runs"), steps);
    Histogram runMillis = new Histogram(3);
    List<RunTrace> traces = new ArrayList<>();
    for (int i = 0; i < args.get("chain.runs"); i++) {
      long start = System.nanoTime();
      String runId = client.submit(defs, BenchmarkDefinitions.CHAIN, RunConfig.empty());
      RunTrace trace = tap.awaitRuns(List.of(runId), steps, timeout()).get(0);
      traces.add(trace);
      if (trace.succeeded()) {
        runMillis.recordValue((trace.lastHookRead() - start) / 1_000_000);
        Hops.addReadTimes(trace, steps, hopsByRead);
        Hops.addEventTimes(trace, steps, hopsByEventTime);
      }
    }
    results.put(
        "latency: chain run, submit to last hook (mean)",
        String.format("%.0f ms for %d steps", runMillis.getMean(), steps));
    results.put("latency: " + outcomes(traces), "");
  }

  /** Says how many runs succeeded and how many WorkerLost verdicts the coordinator published. */
  private static String outcomes(List<RunTrace> traces) {
    long succeeded = traces.stream().filter(RunTrace::succeeded).count();
    int lost = traces.stream().mapToInt(RunTrace::workerLostVerdicts).sum();
    return String.format(
        "%d of %d runs succeeded; %d WorkerLost verdicts published",
        succeeded, traces.size(), lost);
  }

  private void measureThroughput(OpflowClient client, Definitions defs, EventTap tap)
      throws Exception {
    int runs = args.get("wide.runs");
    int stepsPerRun = args.get("wide.steps") + 1;
    OUT.printf("Opflow: %d wide runs of %d steps at once...%n", runs, stepsPerRun);
    List<String> runIds = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      runIds.add(client.submit(defs, BenchmarkDefinitions.WIDE, RunConfig.empty()));
    }
    long submitted = System.nanoTime();
    List<RunTrace> traces = tap.awaitRuns(runIds, stepsPerRun, timeout());
    long end = traces.stream().mapToLong(RunTrace::lastHookRead).max().orElseThrow();
    long steps = traces.stream().mapToLong(RunTrace::hooksCompleted).sum();
    stepsPerSecond = Hops.perSecond(steps, end - start);
    results.put(
        "throughput: steps with their success hook",
        String.format(
            "%d of %d in %.1f s; submitting took %.1f s",
            steps, (long) runs * stepsPerRun, (end - start) / 1e9, (submitted - start) / 1e9));
    results.put("throughput: " + outcomes(traces), "");
  }

  private Duration timeout() {
    return Duration.ofSeconds(args.get("timeout.seconds"));
  }

  private void printTable() {
    OUT.println();
    OUT.printf("%-46s %18s %18s%n", "", "Opflow", "raw Kafka (2 hops)");
    row("latency p50 (step-to-step hop | round trip)", ms(hopsByRead, 50), ms(kafkaLatency, 50));
    row("latency p99", ms(hopsByRead, 99), ms(kafkaLatency, 99));
    row("latency max", ms(hopsByRead, 100), ms(kafkaLatency, 100));
    row(
        "latency p50 / p99 by event timestamps",
        ms(hopsByEventTime, 50) + " / " + ms(hopsByEventTime, 99),
        "");
    row(
        "throughput (no-op steps+hook/s | round trips/s)",
        String.format("%.0f /s", stepsPerSecond),
        String.format("%.0f /s", kafkaThroughput));
    OUT.println();
    results.forEach((k, v) -> OUT.println(v.isEmpty() ? k : String.format("%-46s %s", k, v)));
    OUT.printf("%-46s %d hops%n", "hops measured", hopsByRead.getTotalCount());
    OUT.println();
    OUT.println("settings:");
    OUT.printf(
        "  linger.ms: workers, hooks-runner, client 0; Kafka Streams producers 0 (override);"
            + " raw Kafka 0; acks=all everywhere%n");
    OUT.printf(
        "  coordinator: exactly_once_v2, commit.interval.ms=%d%n", args.get("commit.interval.ms"));
    OUT.printf(
        "  cores: %d; load average (1 min) before %.1f, after %.1f%n",
        Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage());
    OUT.printf("  parameters: %s%n", new java.util.TreeMap<>(args.all()));
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static void row(String name, String opflow, String kafka) {
    OUT.printf("%-46s %18s %18s%n", name, opflow, kafka);
  }

  private static String ms(Histogram micros, double percentile) {
    long value = percentile >= 100 ? micros.getMaxValue() : micros.getValueAtPercentile(percentile);
    return String.format("%.2f ms", value / 1000.0);
  }
}
