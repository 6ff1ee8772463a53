package io.opflow.benchmarks;

import io.opflow.client.OpflowClient;
import io.opflow.core.Definitions;
import io.opflow.core.config.RunConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;

/**
 * What the Opflow phases share: the parameters, where the roles run, the report, and the
 * benchmark's own clients (submitting runs, reading events, Admin requests).
 *
 * @param args the parameters
 * @param deployment where the broker and the roles run
 * @param report where results go
 * @param client submits runs
 * @param tap reads the events
 * @param admin reads topics and groups
 * @param definitions the benchmark's definitions, as the roles load them
 */
record Session(
    BenchmarkArgs args,
    Deployment deployment,
    Report report,
    OpflowClient client,
    EventTap tap,
    Admin admin,
    Definitions definitions) {

  /** Returns the longest wait of one phase. */
  Duration timeout() {
    return Duration.ofSeconds(args.get("timeout.seconds"));
  }

  /**
   * Submits runs of a job, one after another without waiting.
   *
   * @param job the job's name
   * @param count how many runs
   * @return their run ids, in submission order
   */
  List<String> submit(String job, int count) {
    List<String> runIds = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      runIds.add(client.submit(definitions, job, RunConfig.empty()));
    }
    return runIds;
  }

  /**
   * Starts workers named {@code prefix-0}, {@code prefix-1}, ... and waits until the workers' group
   * is stable with {@code total} members.
   *
   * @param prefix the workers' id prefix
   * @param count how many to start
   * @param concurrency ops at once per worker
   * @param total how many members the group then has
   * @return closing each stops that worker
   * @throws Exception when a worker cannot be started or the group does not settle
   */
  List<AutoCloseable> startWorkers(String prefix, int count, int concurrency, int total)
      throws Exception {
    List<AutoCloseable> workers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      workers.add(deployment.startWorker(prefix + "-" + i, concurrency));
    }
    WorkerGroup.awaitStable(admin, total, timeout());
    return workers;
  }

  /** Stops workers one after another, each gracefully. */
  static void stop(List<AutoCloseable> workers) throws Exception {
    for (AutoCloseable worker : workers) {
      worker.close();
    }
  }
}
