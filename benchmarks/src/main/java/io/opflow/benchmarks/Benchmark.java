package io.opflow.benchmarks;

import io.opflow.client.OpflowClient;
import io.opflow.schemas.OpflowTopics;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;

/**
 * Measures Opflow beside the raw Kafka floor on one broker: Kafka round-trip latency and throughput
 * first, then an Opflow cluster (coordinator, workers, hooks-runner) on the same broker: the
 * step-to-step hop and the hook latency of chain runs, the throughput of wide runs of no-op steps
 * each with one success hook (with CPU per role and records and bytes written per step), the
 * coordinator's heap per in-flight step, and scaling with slow steps. Prints a table, sections, and
 * last a {@link Summary} line for scripts.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp "benchmarks/target/opflow-benchmarks.jar:benchmarks/target/lib/*" \
 *     io.opflow.benchmarks.Benchmark [--KEY=VALUE ...] [--processes] [--help]
 * </pre>
 *
 * <p>By default everything runs in this JVM; {@code --processes} runs the broker and each role in a
 * JVM of its own (see {@link ProcessDeployment}). A command, not a test: numbers depend on the
 * machine, so nothing here asserts on them.
 */
public final class Benchmark {
  private static final PrintStream OUT = System.out;
  private static final String LOGBACK_CONFIG = "logback.configurationFile";

  private final BenchmarkArgs args;
  private final Report report = new Report();

  private Benchmark(BenchmarkArgs args) {
    this.args = args;
  }

  /**
   * Runs the benchmark and prints the report; exits 0 when every phase ran, 1 when one failed (the
   * report and summary line are printed either way), 2 on a bad argument.
   *
   * @param argv {@code --KEY=VALUE} arguments; {@code --help} lists them
   */
  public static void main(String[] argv) {
    // The command line's jar on the class path brings its own logback.xml; a name of our own keeps
    // logback from finding two and printing its status on standard output.
    if (System.getProperty(LOGBACK_CONFIG) == null) {
      System.setProperty(LOGBACK_CONFIG, "opflow-benchmark-logback.xml");
    }
    if (Arrays.asList(argv).contains("--help") || Arrays.asList(argv).contains("-h")) {
      OUT.print(BenchmarkArgs.help());
      System.exit(0);
    }
    BenchmarkArgs args;
    try {
      args = BenchmarkArgs.parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(BenchmarkArgs.help());
      System.exit(2);
      return;
    }
    int code = new Benchmark(args).run();
    // Kafka and Kafka Streams may leave non-daemon threads behind after close.
    System.exit(code);
  }

  private int run() {
    double loadBefore = loadAverage();
    int code = 0;
    try (Deployment deployment = deployment()) {
      report.stampsHere = deployment.stampsHere();
      deployment.describe().forEach(report::setting);
      if (args.runs(Phase.FLOOR)) {
        measureFloor(deployment.bootstrapServers());
      }
      if (args.phases().stream().anyMatch(Phase::needsOpflow)) {
        measureOpflow(deployment);
      }
    } catch (Exception e) {
      System.err.println("benchmark failed: " + e);
      e.printStackTrace();
      report.note("FAILED: " + e, "");
      code = 1;
    }
    addSettings(loadBefore);
    report.print(OUT);
    return code;
  }

  private Deployment deployment() throws Exception {
    if (args.flag("processes")) {
      OUT.println("starting the broker in a JVM of its own...");
      return new ProcessDeployment(
          args.text("worker.xmx"),
          args.text("worker.jvm"),
          workerOptions(),
          args.get("chain.max.steps"));
    }
    OUT.println("starting the broker in this JVM...");
    return new InProcessDeployment(workerOptions(), args.get("chain.max.steps"));
  }

  private WorkerOptions workerOptions() {
    return new WorkerOptions(args.text("worker.isolation"), args.get("worker.started.delay.ms"));
  }

  // Opflow is measured after a warm-up that waits for the JIT; the floor is measured warm too, or
  // its figure would include the broker's and clients' compilation and the ratio would flatter us.
  private void measureFloor(String bootstrapServers) throws Exception {
    KafkaRoundTrip kafka = new KafkaRoundTrip(bootstrapServers);
    int chains = args.get("kafka.throughput.chains");
    int warmUp = args.get("kafka.warmup.seconds");
    if (warmUp > 0) {
      OUT.printf("raw Kafka: warm-up, %d chains for %d s (not counted)...%n", chains, warmUp);
      kafka.throughput(chains, Duration.ofSeconds(warmUp));
    }
    OUT.printf("raw Kafka: %d round trips on one chain...%n", args.get("kafka.latency.count"));
    report.floorLatency = kafka.latency(args.get("kafka.latency.count"));
    int seconds = args.get("kafka.throughput.seconds");
    OUT.printf("raw Kafka: %d chains for %d s...%n", chains, seconds);
    report.floorThroughput = kafka.throughput(chains, Duration.ofSeconds(seconds));
  }

  private void measureOpflow(Deployment deployment) throws Exception {
    Path gate = BenchmarkFiles.target().resolve("benchmark-gate-" + UUID.randomUUID());
    BenchmarkDefinitions.Shape shape =
        new BenchmarkDefinitions.Shape(
            args.get("wide.steps"),
            args.get("chain.steps"),
            ScalingPhase.STEPS_PER_RUN,
            args.get("scaling.sleep.ms"),
            args.get("heap.steps"),
            gate);
    OUT.println("Opflow: starting the coordinator and the hooks-runner...");
    deployment.startRoles(shape, args.get("commit.interval.ms"));
    String bootstrap = deployment.bootstrapServers();
    try (Admin admin =
            Admin.create(Map.of("bootstrap.servers", bootstrap, "client.id", "bench-admin"));
        OpflowClient client =
            OpflowClient.create(
                Map.of("bootstrap.servers", bootstrap, "client.id", "bench-client"),
                OpflowTopics.defaults());
        EventTap tap = new EventTap(bootstrap, OpflowTopics.defaults())) {
      Session session =
          new Session(args, deployment, report, client, tap, admin, BenchmarkDefinitions.of(shape));
      runPhases(session, gate);
    }
  }

  private void runPhases(Session session, Path gate) throws Exception {
    Set<Phase> phases = args.phases();
    if (phases.contains(Phase.LATENCY)
        || phases.contains(Phase.THROUGHPUT)
        || phases.contains(Phase.HEAP)) {
      int workers = args.get("workers");
      int concurrency = args.get("worker.concurrency");
      OUT.printf("Opflow: %d workers x %d...%n", workers, concurrency);
      List<AutoCloseable> main = session.startWorkers("worker", workers, concurrency, workers);
      OpflowPhases opflow = new OpflowPhases(session);
      opflow.warmUp();
      if (phases.contains(Phase.LATENCY)) {
        opflow.latency();
      }
      if (phases.contains(Phase.THROUGHPUT)) {
        opflow.throughput();
      }
      if (phases.contains(Phase.HEAP)) {
        new HeapPhase(session, gate).run();
      }
      Session.stop(main);
    }
    if (phases.contains(Phase.SCALING)) {
      new ScalingPhase(session).run();
    }
  }

  private void addSettings(double loadBefore) {
    report.setting(
        "  linger.ms: workers, client 0; hooks-runner 5; Kafka Streams producers 100 (batch.size"
            + " 64 KiB, flushed at each commit); raw Kafka 0; acks=all everywhere");
    report.setting(
        "  coordinator: exactly_once_v2, commit.interval.ms=" + args.get("commit.interval.ms"));
    report.setting(
        "  coordinator chain.max.steps="
            + args.get("chain.max.steps")
            + " (worker-side chaining "
            + (args.get("chain.max.steps") > 0 ? "on" : "off")
            + ")");
    report.setting(
        "  workers: heartbeat 500 ms, shutdown grace 2000 ms, isolation.level="
            + args.text("worker.isolation")
            + ", started.delay.ms="
            + args.get("worker.started.delay.ms"));
    report.setting(
        String.format(
            "  cores: %d; load average (1 min) before %.1f, after %.1f",
            Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage()));
    report.setting("  parameters: " + args.all());
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
