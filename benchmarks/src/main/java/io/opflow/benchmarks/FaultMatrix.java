package io.opflow.benchmarks;

import io.opflow.client.BrokerUnreachableException;
import io.opflow.client.OpflowClient;
import io.opflow.client.RunUpdate;
import io.opflow.core.config.RunConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The fault matrix: a three-node Kafka cluster, two coordinators, three workers and two
 * hooks-runners, each a JVM of its own, running {@link LedgerDefinitions}'s job while faults are
 * injected with real signals, one scenario after another. Each scenario submits runs, injects its
 * fault while their first steps run, waits for every run to end, and prints what the ledger and the
 * event topics show; the command exits 1 when a scenario breaks a promise. See {@code
 * docs/faults.md}.
 */
public final class FaultMatrix {
  private static final PrintStream OUT = System.out;
  private static final String CLI = "io.opflow.cli.Main";
  private static final Duration ROLE_START = Duration.ofMinutes(2);
  private static final Duration RUN_END = Duration.ofMinutes(3);
  private static final long LEASE_MS = 5000;
  private static final Duration LONG_STEP = Duration.ofSeconds(40);
  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(5);

  /** How long {@code hooks-runners-down} keeps every hooks-runner down, unless told otherwise. */
  static final Duration DEFAULT_HOOKS_DOWN = Duration.ofMinutes(2);

  private final Path logs;

  /** Workers run as users 61001, 61002, ... when worker-partition runs (see uidFor). */
  private static final int WORKER_UID_BASE = 61000;

  /** Whether each worker runs as a user of its own, for worker-partition. */
  private boolean workersApart;

  private final Path ledger;
  private final int runsPerScenario;
  private final Duration hooksDown;
  private final KafkaCluster kafka;
  private final List<ChildProcess> coordinators = new ArrayList<>();
  private final List<ChildProcess> workers = new ArrayList<>();
  private final List<ChildProcess> hooksRunners = new ArrayList<>();
  private final Map<String, Integer> starts = new HashMap<>();
  private final Map<ChildProcess, URI> health = new HashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String applicationId = "opflow-fault-matrix";

  private FaultMatrix(Path logs, int runsPerScenario, Duration hooksDown)
      throws IOException, InterruptedException {
    this.logs = logs;
    this.ledger = logs.resolve("ledger.txt");
    this.runsPerScenario = runsPerScenario;
    this.hooksDown = hooksDown;
    OUT.println("fault matrix: starting 3 Kafka nodes...");
    this.kafka = KafkaCluster.start(logs);
  }

  /**
   * Runs the matrix.
   *
   * @param args {@code --runs=N} (runs per scenario, default 10), {@code --scenarios=a,b} (default
   *     all) and {@code --hooks-down-seconds=S} (how long {@code hooks-runners-down} lasts, default
   *     120)
   * @throws Exception when the cluster cannot start
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : args) {
      String[] kv = arg.replaceFirst("^--", "").split("=", 2);
      options.put(kv[0], kv.length > 1 ? kv[1] : "true");
    }
    int runs = Integer.parseInt(options.getOrDefault("runs", "10"));
    List<String> scenarios =
        List.of(
            options
                .getOrDefault("scenarios", String.join(",", Scenario.runnableHere()))
                .split(","));
    Duration hooksDown =
        Duration.ofSeconds(
            Long.parseLong(
                options.getOrDefault(
                    "hooks-down-seconds", Long.toString(DEFAULT_HOOKS_DOWN.toSeconds()))));
    List<Figures> figures = run(Path.of("target", "fault-matrix"), runs, scenarios, hooksDown);
    System.exit(figures.stream().allMatch(Figures::passed) ? 0 : 1);
  }

  /**
   * Starts the cluster, runs the scenarios, prints their figures and takes everything down.
   *
   * @param logs where the JVMs' logs and the ledger go
   * @param runs runs per scenario
   * @param scenarios scenario names, in order (see {@link Scenario#NAMES})
   * @param hooksDown how long {@code hooks-runners-down} keeps the hooks-runners down
   * @return each scenario's figures
   * @throws Exception when the cluster cannot start
   */
  static List<Figures> run(Path logs, int runs, List<String> scenarios, Duration hooksDown)
      throws Exception {
    Files.createDirectories(logs);
    Files.deleteIfExists(logs.resolve("ledger.txt"));
    // Workers may run as users of their own (see workerUid): the ledger is theirs to append to.
    Files.createFile(logs.resolve("ledger.txt"));
    logs.resolve("ledger.txt").toFile().setWritable(true, false);
    try (Closer closer = new Closer()) {
      FaultMatrix matrix = new FaultMatrix(logs, runs, hooksDown);
      closer.matrix = matrix;
      return matrix.run(scenarios);
    }
  }

  private List<Figures> run(List<String> scenarios) throws Exception {
    for (String name : scenarios) {
      if (!Scenario.NAMES.contains(name)) {
        throw new IllegalArgumentException(
            "unknown scenario '" + name + "'; known: " + Scenario.NAMES);
      }
    }
    workersApart = scenarios.contains("worker-partition");
    if (workersApart && !NetworkCut.available()) {
      throw new IllegalArgumentException("worker-partition needs root and iptables");
    }
    startRoles();
    List<Figures> results = new ArrayList<>();
    // Reads wait out a Kafka node's death (leadership moves within seconds).
    try (OpflowClient client =
        OpflowClient.create(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            io.opflow.schemas.OpflowTopics.defaults(),
            Duration.ofSeconds(60))) {
      warmUp(client);
      for (String name : scenarios) {
        OUT.println("fault matrix: " + name + "...");
        results.add(scenario(client, name));
      }
    }
    OUT.println();
    OUT.println(Figures.HEADER);
    results.forEach(f -> OUT.println(f.line()));
    boolean passed = results.stream().allMatch(Figures::passed);
    OUT.println();
    OUT.println("fault matrix: " + (passed ? "every scenario kept every promise" : "FAILED"));
    OUT.println("logs and ledger in " + logs.toAbsolutePath());
    return results;
  }

  private Figures scenario(OpflowClient client, String name) throws Exception {
    RunConfig config =
        name.equals("coordinators-down")
            ? LedgerDefinitions.workingFor(LONG_STEP)
            : RunConfig.empty();
    List<String> runIds = new ArrayList<>();
    for (int i = 0; i < runsPerScenario; i++) {
      runIds.add(client.submit(LedgerDefinitions.DEFS, LedgerDefinitions.JOB, config));
    }
    Thread.sleep(1000); // the first steps (2 s each) are running
    long faultAt = System.nanoTime();
    long faultAtMillis = System.currentTimeMillis();
    PoisonRecords poison = inject(name, runIds);
    Set<String> ended = awaitEnded(client, runIds);
    awaitHooks(ended);
    long recoveredMillis = (System.nanoTime() - faultAt) / 1_000_000;
    afterwards(name);
    Thread.sleep(3000); // late results and duplicate hooks, if any, land before counting
    List<String> problems = unhealthyRoles();
    if (poison != null) {
      poison.notDeadLettered().forEach(p -> problems.add(p + " not dead-lettered"));
    }
    Timings timings = new Timings(faultAtMillis, recoveredMillis);
    return Figures.of(name, runIds, ended, client, readLedger(), timings, problems);
  }

  // Every role the matrix started and did not stop must be running and report itself healthy.
  private List<String> unhealthyRoles() throws InterruptedException {
    List<String> problems = new ArrayList<>();
    for (List<ChildProcess> group : List.of(coordinators, workers, hooksRunners)) {
      for (ChildProcess role : group) {
        if (!role.isAlive()) {
          problems.add(role.name() + " exited");
        } else if (!healthy(role)) {
          problems.add(role.name() + " reports DOWN");
        }
      }
    }
    return problems;
  }

  private boolean healthy(ChildProcess role) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(health.get(role)).timeout(HEALTH_TIMEOUT).build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * When a scenario's fault came and how long recovery took.
   *
   * @param faultAtMillis when the fault was injected, epoch millis
   * @param recoveredMillis from the fault to the last run's end and its hooks
   */
  record Timings(long faultAtMillis, long recoveredMillis) {}

  // Runs through every role once, uncounted, so that no scenario pays for JIT compilation and
  // the coordinators' first rebalance.
  private void warmUp(OpflowClient client) throws InterruptedException {
    OUT.println("fault matrix: warm-up...");
    List<String> runIds = new ArrayList<>();
    for (int i = 0; i < runsPerScenario; i++) {
      runIds.add(client.submit(LedgerDefinitions.DEFS, LedgerDefinitions.JOB, RunConfig.empty()));
    }
    awaitEnded(client, runIds);
  }

  // A worker running a first step of one of these runs, as the ledger's start lines say.
  private ChildProcess busyWorker(List<String> runIds) throws IOException, InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < end) {
      for (String line : readLedger()) {
        String[] parts = line.split(" ", -1);
        if (parts[0].equals("start") && runIds.contains(parts[1].split("/", -1)[0])) {
          for (ChildProcess worker : workers) {
            if (worker.name().equals(parts[2])) {
              return worker;
            }
          }
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no worker started a step of runs " + runIds);
  }

  // Injects the scenario's fault; returns the poison written, for poison-records.
  private PoisonRecords inject(String name, List<String> runIds) throws Exception {
    switch (name) {
      case "none" -> {}
      case "worker-kill9" -> {
        ChildProcess busy = busyWorker(runIds);
        workers.remove(busy);
        busy.kill9();
        workers.add(role("worker", workerOptions()));
      }
      case "worker-partition" -> {
        ChildProcess cut = busyWorker(runIds);
        if (cut.uid() < 0) {
          throw new IllegalStateException(
              "worker-partition needs root and iptables: each worker runs as a user of its own");
        }
        try (NetworkCut partition = NetworkCut.of(cut.uid())) {
          Thread.sleep(2 * LEASE_MS);
        }
      }
      case "worker-pause" -> {
        ChildProcess paused = busyWorker(runIds);
        paused.signal("STOP");
        Thread.sleep(2 * LEASE_MS);
        paused.signal("CONT");
      }
      case "broker-kill9" -> kafka.kill9(2);
      case "coordinator-kill9" -> coordinators.remove(0).kill9();
      case "hooks-runner-kill9" -> hooksRunners.remove(0).kill9();
      case "workers-rolling-restart" -> {
        for (ChildProcess old : List.copyOf(workers)) {
          stop(workers, old);
          workers.add(role("worker", workerOptions()));
        }
      }
      case "hooks-runners-down" -> {
        for (ChildProcess runner : List.copyOf(hooksRunners)) {
          stop(hooksRunners, runner);
        }
        Thread.sleep(hooksDown.toMillis());
        hooksRunners.add(role("hooks-runner", hooksRunnerOptions()));
        hooksRunners.add(role("hooks-runner", hooksRunnerOptions()));
      }
      case "coordinators-down" -> {
        for (ChildProcess coordinator : List.copyOf(coordinators)) {
          coordinators.remove(coordinator);
          coordinator.kill9();
        }
        Thread.sleep(2 * LEASE_MS);
        coordinators.add(role("coordinator", coordinatorOptions()));
        coordinators.add(role("coordinator", coordinatorOptions()));
      }
      case "poison-records" -> {
        PoisonRecords poison = new PoisonRecords(kafka.bootstrapServers());
        poison.send();
        return poison;
      }
      default -> throw new IllegalArgumentException("unknown scenario " + name);
    }
    return null;
  }

  // A planned stop: SIGTERM, and the role drains what it holds.
  private void stop(List<ChildProcess> group, ChildProcess role) throws InterruptedException {
    group.remove(role);
    health.remove(role);
    role.close();
  }

  // Restores the cluster's shape after the runs ended, for the next scenario.
  private void afterwards(String name) throws Exception {
    switch (name) {
      case "broker-kill9" -> kafka.restart(2);
      case "coordinator-kill9" -> coordinators.add(role("coordinator", coordinatorOptions()));
      case "hooks-runner-kill9" -> hooksRunners.add(role("hooks-runner", hooksRunnerOptions()));
      default -> {}
    }
  }

  private Set<String> awaitEnded(OpflowClient client, List<String> runIds)
      throws InterruptedException {
    long end = System.nanoTime() + RUN_END.toNanos();
    Set<String> ended = Set.of();
    while (System.nanoTime() < end) {
      try {
        ended = endedRuns(client, runIds);
      } catch (BrokerUnreachableException e) {
        continue; // a Kafka node is down and its partitions move: read again
      }
      if (ended.size() == runIds.size()) {
        break;
      }
      Thread.sleep(250);
    }
    return ended;
  }

  // Until each ended run's two steps have a hook line in the ledger, or the time is up.
  private void awaitHooks(Set<String> ended) throws IOException, InterruptedException {
    long end = System.nanoTime() + RUN_END.toNanos();
    while (System.nanoTime() < end) {
      Set<String> hooked =
          readLedger().stream()
              .filter(line -> line.startsWith("hook "))
              .map(line -> String.join("/", List.of(line.substring(5).split("/")).subList(0, 2)))
              .collect(Collectors.toSet());
      if (ended.stream()
          .allMatch(r -> hooked.contains(r + "/work") && hooked.contains(r + "/finish"))) {
        return;
      }
      Thread.sleep(250);
    }
  }

  static Set<String> endedRuns(OpflowClient client, List<String> runIds) {
    return client.runEvents().stream()
        .filter(u -> runIds.contains(u.runId()) && !"STARTED".equals(u.status()))
        .map(RunUpdate::runId)
        .collect(Collectors.toSet());
  }

  private List<String> readLedger() throws IOException {
    return Files.exists(ledger) ? Files.readAllLines(ledger, StandardCharsets.UTF_8) : List.of();
  }

  private void startRoles() throws IOException, InterruptedException {
    OUT.println("fault matrix: starting 2 coordinators, 3 workers, 2 hooks-runners...");
    coordinators.add(role("coordinator", coordinatorOptions()));
    coordinators.add(role("coordinator", coordinatorOptions()));
    for (int i = 0; i < 3; i++) {
      workers.add(role("worker", workerOptions()));
    }
    hooksRunners.add(role("hooks-runner", hooksRunnerOptions()));
    hooksRunners.add(role("hooks-runner", hooksRunnerOptions()));
  }

  private List<String> coordinatorOptions() throws IOException {
    Path state = Files.createTempDirectory("opflow-fault-matrix-state-");
    return List.of(
        "--config", "opflow.coordinator.application.id=" + applicationId,
        "--config", "opflow.state.dir=" + state,
        "--config", "opflow.lease.ms=" + LEASE_MS);
  }

  // As ChildWorkers in the cli tests: a killed runner's partitions move after 6 s, not 45.
  private static List<String> hooksRunnerOptions() {
    return List.of(
        "--config", "kafka.session.timeout.ms=6000",
        "--config", "kafka.heartbeat.interval.ms=1500");
  }

  private static List<String> workerOptions() {
    return List.of("--config", "opflow.worker.heartbeat.ms=500");
  }

  private ChildProcess role(String command, List<String> options)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of(command, "-b", kafka.bootstrapServers()));
    args.addAll(List.of("--metrics-port", "0"));
    if (!command.equals("coordinator")) { // the coordinator loads no user code
      args.addAll(List.of("--definitions", LedgerDefinitions.class.getName()));
    }
    args.addAll(List.of("--config", "opflow.topic.replication.factor=3"));
    args.addAll(options);
    int count = starts.merge(command, 1, Integer::sum);
    String name = command + "-" + count;
    List<String> jvm =
        List.of(
            "-Xmx256m",
            "-D" + LedgerDefinitions.LEDGER + "=" + ledger,
            "-D" + LedgerDefinitions.ROLE + "=" + name);
    ChildProcess child = ChildProcess.start(name, logs, jvm, CLI, args, uidFor(command, count));
    String running = child.awaitLine(command + " running", ROLE_START);
    health.put(child, healthUri(running));
    return child;
  }

  // For worker-partition, each worker runs as a user of its own, so that one can be cut off the
  // network; the other roles run as this process does. Such a worker must be able to read the
  // class path: run the matrix from the packaged jar, not from a home directory only root reads.
  private int uidFor(String command, int count) {
    return command.equals("worker") && workersApart ? WORKER_UID_BASE + count : -1;
  }

  // From "worker running; metrics at http://localhost:PORT/metrics, health at /health; ...".
  private static URI healthUri(String runningLine) {
    Matcher port = Pattern.compile("http://localhost:(\\d+)/").matcher(runningLine);
    if (!port.find()) {
      throw new IllegalStateException("no metrics port in '" + runningLine + "'");
    }
    return URI.create("http://localhost:" + port.group(1) + "/health");
  }

  /** Closes every role and the Kafka nodes, whatever happened. */
  private static final class Closer implements AutoCloseable {
    FaultMatrix matrix;

    @Override
    public void close() throws InterruptedException {
      if (matrix == null) {
        return;
      }
      for (List<ChildProcess> group :
          List.of(matrix.hooksRunners, matrix.workers, matrix.coordinators)) {
        for (ChildProcess child : group) {
          child.close();
        }
      }
      matrix.kafka.close();
    }
  }
}
