package io.opflow.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opflow.coordinator.CoordinatorConfig;
import io.opflow.core.Definitions;
import io.opflow.runtime.RuntimeConfig;
import io.opflow.testkit.EmbeddedKafkaBroker;
import io.opflow.testkit.cluster.OpflowCluster;
import io.opflow.worker.Worker;
import io.opflow.worker.WorkerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Everything in the benchmark's JVM: an embedded broker, then an {@link OpflowCluster} without
 * workers (coordinator and hooks-runner) and workers started here one by one. CPU per role is
 * measured per thread ({@link ThreadCpu}, {@link ThreadRoles}).
 */
final class InProcessDeployment implements Deployment {
  private static final int BUSIEST_THREADS = 10;

  private final EmbeddedKafkaBroker broker;
  private final ThreadCpu threadCpu = new ThreadCpu();
  private final ThreadRoles roles = new ThreadRoles(null);
  private final List<Worker> workers = new ArrayList<>();
  private final WorkerOptions workerOptions;
  private final int chainMaxSteps;
  private OpflowCluster cluster;
  private Definitions definitions;

  InProcessDeployment(WorkerOptions workerOptions, int chainMaxSteps) {
    this.workerOptions = workerOptions;
    this.chainMaxSteps = chainMaxSteps;
    broker = EmbeddedKafkaBroker.start();
  }

  @Override
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  @Override
  public void startRoles(BenchmarkDefinitions.Shape shape, int commitIntervalMs) {
    definitions = BenchmarkDefinitions.of(shape);
    cluster =
        OpflowCluster.builder()
            .definitions(definitions)
            .bootstrapServers(broker.bootstrapServers())
            .workers(0)
            .coordinatorConfig(CoordinatorConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs)
            .coordinatorConfig(CoordinatorConfig.CHAIN_MAX_STEPS_CONFIG, chainMaxSteps)
            .build()
            .start();
  }

  @Override
  public AutoCloseable startWorker(String id, int concurrency) {
    Map<String, Object> props = new HashMap<>();
    props.put(WorkerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(WorkerConfig.TOPIC_PREFIX_CONFIG, cluster.topics().prefix());
    props.put(WorkerConfig.METRICS_PORT_CONFIG, -1);
    props.put(WorkerConfig.WORKER_ID_CONFIG, id);
    props.put(WorkerConfig.CONCURRENCY_CONFIG, concurrency);
    // The test kit's settings, as the benchmark has always used.
    props.put(WorkerConfig.HEARTBEAT_MS_CONFIG, 500L);
    props.put(WorkerConfig.SHUTDOWN_GRACE_MS_CONFIG, 2000L);
    props.put(
        RuntimeConfig.KAFKA_PREFIX + ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        workerOptions.isolation());
    props.put(WorkerConfig.STARTED_DELAY_MS_CONFIG, workerOptions.startedDelayMillis());
    Worker worker = Worker.start(WorkerConfig.of(props), definitions, new SimpleMeterRegistry());
    workers.add(worker);
    return () -> {
      workers.remove(worker);
      worker.close();
    };
  }

  @Override
  public boolean stampsHere() {
    return true;
  }

  @Override
  public ResourceMeter resourceMeter() {
    return new ResourceMeter() {
      private ThreadCpu.Snapshot before;

      @Override
      public void begin() {
        before = threadCpu.snapshot();
      }

      @Override
      public List<String> end(long steps) {
        ThreadCpu.Snapshot after = threadCpu.snapshot();
        writeThreadList(after);
        return report(ThreadCpu.between(before, after, roles, BUSIEST_THREADS), steps);
      }
    };
  }

  private List<String> report(ThreadCpu.Usage usage, long steps) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format("  %-30s %10s %10s %7s", "role", "cpu ms", "us/step", "share"));
    usage
        .byRole()
        .forEach(
            (role, nanos) -> {
              lines.add(cpuRow(role.label(), nanos, usage, steps));
              if (role == ThreadRoles.Role.JVM) {
                usage
                    .jvmByKind()
                    .forEach(
                        (kind, kindNanos) ->
                            lines.add(cpuRow("  of it " + label(kind), kindNanos, usage, steps)));
              }
            });
    lines.add(
        String.format(
            Locale.ROOT,
            "  %-30s %10.0f %10.1f",
            "total (process)",
            usage.total() / 1e6,
            usage.total() / 1e3 / Math.max(1, steps)));
    lines.add("  busiest threads (cpu ms):");
    usage
        .busiest()
        .forEach(
            s ->
                lines.add(
                    String.format(
                        Locale.ROOT,
                        "    %8.0f  %-60s %s",
                        s.cpuNanos() / 1e6,
                        TopicUsage.shortName(s.name()),
                        roles.of(s.name()).label())));
    return lines;
  }

  private static String label(JvmThreads.Kind kind) {
    return switch (kind) {
      case JIT -> "JIT compiler threads";
      case GC -> "GC threads";
      case OTHER -> "VM thread, sweeper";
    };
  }

  private static String cpuRow(String label, long nanos, ThreadCpu.Usage usage, long steps) {
    return String.format(
        Locale.ROOT,
        "  %-30s %10.0f %10.1f %6.1f%%",
        label,
        nanos / 1e6,
        nanos / 1e3 / Math.max(1, steps),
        100.0 * nanos / Math.max(1, usage.total()));
  }

  /** Writes every thread seen, its role and its CPU time, for checking the role rules. */
  private void writeThreadList(ThreadCpu.Snapshot snapshot) {
    List<String> lines = new ArrayList<>();
    snapshot
        .threads()
        .values()
        .forEach(
            s ->
                lines.add(
                    String.format(
                        Locale.ROOT,
                        "%-30s | %10.0f ms | %s",
                        roles.of(s.name()).label(),
                        s.cpuNanos() / 1e6,
                        s.name())));
    lines.sort(null);
    try {
      Files.write(BenchmarkFiles.target().resolve("benchmark-threads.txt"), lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public long coordinatorHeapAfterGc() {
    // Two collections: the first may leave objects that were only reachable from finalizable ones.
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Override
  public long coordinatorRssBytes() {
    return -1;
  }

  @Override
  public String heapScope() {
    return "the benchmark JVM's heap after System.gc(): coordinator plus workers (their fetched,"
        + " not yet started tasks), hooks-runner and the benchmark's own bookkeeping";
  }

  @Override
  public List<String> describe() {
    return List.of("  deployment: broker and every role in this JVM (in-process)");
  }

  @Override
  public void close() throws Exception {
    for (Worker worker : List.copyOf(workers)) {
      worker.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    broker.close();
    threadCpu.close();
  }
}
