package io.opflow.benchmarks;

import java.util.List;

/**
 * Where the broker and Opflow's roles run during a benchmark: all in the benchmark's JVM ({@link
 * InProcessDeployment}), or each in a JVM of its own ({@link ProcessDeployment}, {@code
 * --processes}). Both start the broker when created; the coordinator and the hooks-runner on {@link
 * #startRoles}; workers one by one, so that phases can change their number.
 */
interface Deployment extends AutoCloseable {
  /** Returns the broker's {@code bootstrap.servers}. */
  String bootstrapServers();

  /**
   * Starts the coordinator and the hooks-runner on the benchmark's definitions; returns once they
   * were started (not necessarily once they joined their groups).
   *
   * @param shape the sizes of the benchmark's jobs
   * @param commitIntervalMs the coordinator's Kafka Streams commit interval
   * @throws Exception when a role cannot be started
   */
  void startRoles(BenchmarkDefinitions.Shape shape, int commitIntervalMs) throws Exception;

  /**
   * Starts a worker in the workers' group.
   *
   * @param id its worker id
   * @param concurrency how many ops it runs at once
   * @return closing it stops the worker gracefully
   * @throws Exception when it cannot be started
   */
  AutoCloseable startWorker(String id, int concurrency) throws Exception;

  /**
   * Returns whether the benchmark's ops and hook run in this JVM, so that their {@link Stamps} are
   * readable here.
   */
  boolean stampsHere();

  /** Returns a meter of CPU (and memory, where each role has a process) per role. */
  ResourceMeter resourceMeter();

  /**
   * Returns the coordinator's used heap right after a full garbage collection.
   *
   * @return bytes
   * @throws Exception when it cannot be read
   */
  long coordinatorHeapAfterGc() throws Exception;

  /**
   * Returns the coordinator's resident memory when it has a process of its own.
   *
   * @return bytes, or -1 when it shares the benchmark's JVM
   */
  long coordinatorRssBytes();

  /** Returns what the coordinator's heap figure covers, for the report. */
  String heapScope();

  /** Returns lines that say where each role runs, for the report. */
  List<String> describe();

  /** Measures CPU time per role over a phase. */
  interface ResourceMeter {
    /** Takes the reading at the phase's start. */
    void begin();

    /**
     * Takes the reading at the phase's end and returns the report's lines.
     *
     * @param steps the steps completed during the phase, for the CPU per step
     * @return lines to print
     */
    List<String> end(long steps);
  }
}
