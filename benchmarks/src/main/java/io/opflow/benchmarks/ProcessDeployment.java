package io.opflow.benchmarks;

import io.opflow.schemas.OpflowTopics;
import io.opflow.schemas.TopicAdmin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The broker and each role in a JVM of its own ({@code --processes}): the broker is the test kit's
 * embedded broker in a child JVM ({@link BrokerMain}); the coordinator, the hooks-runner and each
 * worker are child JVMs of the command line ({@code io.opflow.cli.Main coordinator|hooks-runner|
 * worker}) on the benchmark's class path, loading the benchmark's definitions by class name. The
 * benchmark's JVM keeps only the client, its event reader and the raw Kafka floor's clients.
 *
 * <p>CPU and memory per role come from {@code /proc} ({@link ProcStats}); the coordinator's heap
 * from {@code jcmd PID GC.run} then {@code GC.heap_info}. Children log to {@code
 * benchmarks/target/benchmark-logs/}.
 */
final class ProcessDeployment implements Deployment {
  private static final String CLI = "io.opflow.cli.Main";
  private static final String APPLICATION_ID = "opflow-coordinator-bench";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  private final Path logs = BenchmarkFiles.directory("benchmark-logs");
  private final String workerXmx;
  private final List<String> workerJvmOptions;
  private final WorkerOptions workerOptions;
  private final int chainMaxSteps;
  private final ChildProcess broker;
  private final String bootstrapServers;
  private final List<ChildProcess> roles = new ArrayList<>();
  private final Map<String, Integer> starts = new HashMap<>();
  private BenchmarkDefinitions.Shape shape;
  private ChildProcess coordinator;
  private Path stateDir;

  ProcessDeployment(
      String workerXmx, String workerJvmOptions, WorkerOptions workerOptions, int chainMaxSteps)
      throws IOException, InterruptedException {
    this.workerXmx = workerXmx;
    this.workerJvmOptions =
        workerJvmOptions.isBlank() ? List.of() : List.of(workerJvmOptions.trim().split("\\s+"));
    this.workerOptions = workerOptions;
    this.chainMaxSteps = chainMaxSteps;
    deleteOldLogs();
    broker = ChildProcess.start("broker", logs, List.of(), BrokerMain.class.getName(), List.of());
    bootstrapServers =
        broker.awaitLine(BrokerMain.READY, START_TIMEOUT).substring(BrokerMain.READY.length());
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void startRoles(BenchmarkDefinitions.Shape shape, int commitIntervalMs)
      throws IOException, InterruptedException {
    this.shape = shape;
    // Created here so that the benchmark's event reader finds them before any role has started.
    try (TopicAdmin admin = TopicAdmin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      admin.ensureTopics(OpflowTopics.defaults());
    }
    stateDir = Files.createTempDirectory("opflow-benchmark-coordinator-");
    coordinator =
        role(
            "coordinator",
            List.of(),
            List.of(
                "--config",
                "opflow.coordinator.application.id=" + APPLICATION_ID,
                "--config",
                "opflow.commit.interval.ms=" + commitIntervalMs,
                "--config",
                "opflow.coordinator.chain.max.steps=" + chainMaxSteps,
                "--config",
                "opflow.state.dir=" + stateDir));
    role("hooks-runner", shape.jvmOptions(), definitionsOption());
  }

  private List<String> definitionsOption() {
    return List.of("--definitions", BenchmarkDefinitionsProvider.class.getName());
  }

  private ChildProcess role(String command, List<String> jvmOptions, List<String> options)
      throws IOException, InterruptedException {
    return role(command, command, jvmOptions, options);
  }

  private ChildProcess role(
      String name, String command, List<String> jvmOptions, List<String> options)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of(command, "-b", bootstrapServers));
    args.addAll(List.of("--metrics-port", "0"));
    args.addAll(options);
    ChildProcess child = ChildProcess.start(uniqueName(name), logs, jvmOptions, CLI, args);
    roles.add(child);
    // Each role command prints "<role> running; ..." once it has started.
    child.awaitLine(command + " running", START_TIMEOUT);
    return child;
  }

  /**
   * Returns the name, or the name with a number when a child of that name was started before in
   * this run (the scaling phase starts {@code scale-0} once per worker count), so that every child
   * keeps its own log.
   */
  private String uniqueName(String name) {
    int count = starts.merge(name, 1, Integer::sum);
    return count == 1 ? name : name + "." + count;
  }

  private void deleteOldLogs() throws IOException {
    try (var files = Files.list(logs)) {
      for (Path log : files.filter(f -> f.toString().endsWith(".log")).toList()) {
        Files.delete(log);
      }
    }
  }

  @Override
  public AutoCloseable startWorker(String id, int concurrency)
      throws IOException, InterruptedException {
    List<String> jvm = new ArrayList<>(List.of("-Xmx" + workerXmx));
    jvm.addAll(workerJvmOptions);
    jvm.addAll(shape.jvmOptions());
    List<String> options = new ArrayList<>(definitionsOption());
    options.addAll(
        List.of(
            "--config",
            "opflow.worker.id=" + id,
            "--config",
            "opflow.worker.concurrency=" + concurrency,
            "--config",
            "opflow.worker.heartbeat.ms=500",
            "--config",
            "opflow.worker.shutdown.grace.ms=2000"));
    options.addAll(workerOptions.asConfigArguments());
    ChildProcess worker = role(id, "worker", jvm, options);
    return () -> {
      roles.remove(worker);
      worker.close();
    };
  }

  @Override
  public boolean stampsHere() {
    return false;
  }

  @Override
  public ResourceMeter resourceMeter() {
    return new ResourceMeter() {
      private final Map<String, Long> pids = new LinkedHashMap<>();
      private final Map<String, ProcStats.Reading> before = new HashMap<>();

      @Override
      public void begin() {
        pids.put("benchmark/client", ProcessHandle.current().pid());
        pids.put("broker", broker.pid());
        roles.forEach(c -> pids.put(c.name(), c.pid()));
        pids.forEach((name, pid) -> before.put(name, ProcStats.read(pid)));
      }

      @Override
      public List<String> end(long steps) {
        List<String> lines = new ArrayList<>();
        lines.add(
            String.format(
                "  %-16s %8s %10s %10s %9s %9s",
                "process", "pid", "cpu ms", "us/step", "rss MB", "peak MB"));
        long total = 0;
        for (Map.Entry<String, Long> e : pids.entrySet()) {
          ProcStats.Reading now = ProcStats.read(e.getValue());
          long cpu = now.cpuNanos() - before.get(e.getKey()).cpuNanos();
          total += cpu;
          lines.add(row(e.getKey(), e.getValue(), cpu, steps, now));
        }
        lines.add(row("total", -1, total, steps, null));
        return lines;
      }
    };
  }

  private static String row(
      String name, long pid, long cpuNanos, long steps, ProcStats.Reading memory) {
    return String.format(
        Locale.ROOT,
        "  %-16s %8s %10.0f %10.1f %9s %9s",
        name,
        pid < 0 ? "" : String.valueOf(pid),
        cpuNanos / 1e6,
        cpuNanos / 1e3 / Math.max(1, steps),
        memory == null ? "" : String.format(Locale.ROOT, "%.1f", memory.rssKb() / 1024.0),
        memory == null ? "" : String.format(Locale.ROOT, "%.1f", memory.hwmKb() / 1024.0));
  }

  @Override
  public long coordinatorHeapAfterGc() throws IOException, InterruptedException {
    jcmd(coordinator.pid(), "GC.run");
    return parseHeapUsed(jcmd(coordinator.pid(), "GC.heap_info"));
  }

  /**
   * Returns the used heap in a {@code jcmd PID GC.heap_info} output: its first {@code used NK}.
   *
   * @param heapInfo the command's output
   * @return bytes
   * @throws IllegalStateException when there is no such figure
   */
  static long parseHeapUsed(String heapInfo) {
    Matcher m = HEAP_USED.matcher(heapInfo);
    if (!m.find()) {
      throw new IllegalStateException("no heap figure in jcmd output: " + heapInfo);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
    }
    return out;
  }

  @Override
  public long coordinatorRssBytes() {
    return ProcStats.read(coordinator.pid()).rssKb() * 1024;
  }

  @Override
  public String heapScope() {
    return "the coordinator process's used heap after jcmd GC.run, from jcmd GC.heap_info";
  }

  @Override
  public List<String> describe() {
    return List.of(
        "  deployment: --processes: broker (test kit's embedded broker, pid "
            + broker.pid()
            + "), coordinator, hooks-runner and each worker in JVMs of their own",
        "  workers' -Xmx"
            + workerXmx
            + (workerJvmOptions.isEmpty() ? "" : " " + String.join(" ", workerJvmOptions))
            + "; other JVMs default options; logs in "
            + logs);
  }

  @Override
  public void close() throws Exception {
    for (ChildProcess child : reversed(roles)) {
      child.close();
    }
    broker.close();
    if (stateDir != null) {
      deleteRecursively(stateDir);
    }
  }

  private static List<ChildProcess> reversed(List<ChildProcess> list) {
    List<ChildProcess> copy = new ArrayList<>(list);
    java.util.Collections.reverse(copy);
    return copy;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
