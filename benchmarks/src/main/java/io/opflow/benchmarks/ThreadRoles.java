package io.opflow.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * Tells which role a thread of the benchmark's JVM works for, by its name alone, for the CPU per
 * role of an in-process run.
 *
 * <p>Opflow's roles name their threads {@code opflow-<role>-*} ({@code opflow-worker-poll}, {@code
 * opflow-op-N}, {@code opflow-heartbeat-N}, {@code opflow-hooks-poll}, {@code opflow-hook-N}), and
 * Kafka names a client's threads after its client id or group id ({@code
 * kafka-producer-network-thread | opflow-worker-worker-0-producer}, {@code
 * kafka-coordinator-heartbeat-thread | opflow-workers}); Kafka Streams names its threads after the
 * coordinator's application id ({@code opflow-coordinator-...-StreamThread-1}). The rules match
 * prefixes and substrings, not whole names, so threads that a role adds under its prefix later
 * ({@code opflow-hooks-lane-3}, {@code opflow-worker-sender}) are counted without a change here.
 * The rules are tried in order: hooks-runner, worker, coordinator, benchmark, other, jvm; anything
 * left is the broker's.
 *
 * <p>Threads that every role of the JVM starts alike ({@code micrometer-kafka-metrics}, the metrics
 * endpoints' {@code HTTP-Dispatcher}), and Kafka client threads without a client id in their name
 * (the new consumer's {@code consumer_background_thread}), cannot be told apart in one JVM: they
 * count as "other". {@code --processes} measures each role's process instead.
 */
final class ThreadRoles {
  /** The roles threads are counted under, in the order reports list them. */
  enum Role {
    WORKER("worker"),
    COORDINATOR("coordinator"),
    HOOKS_RUNNER("hooks-runner"),
    BENCHMARK("benchmark/client"),
    BROKER("broker"),
    OTHER("other (shared, unattributed)"),
    JVM("jvm");

    private final String label;

    Role(String label) {
      this.label = label;
    }

    /** Returns the name reports use. */
    String label() {
      return label;
    }
  }

  private static final List<String> HOOKS_PREFIXES = List.of("opflow-hooks", "opflow-hook-");
  private static final List<String> WORKER_PREFIXES =
      List.of("opflow-worker", "opflow-op-", "opflow-heartbeat");
  private static final List<String> COORDINATOR_PARTS =
      List.of("opflow-coordinator", "streamthread", "stateupdater", "cleanupthread");
  private static final List<String> BENCHMARK_PREFIXES = List.of("bench-", "main");
  private static final List<String> OTHER_PREFIXES =
      List.of(
          "opflow-",
          "micrometer-",
          "http-dispatcher",
          "idle-timeout-task",
          "kafka-producer-network-thread",
          "kafka-consumer-network-thread",
          "consumer_background_thread",
          "kafka-coordinator-heartbeat-thread",
          "kafka-admin-client-thread",
          "kafka-streams-");
  private static final List<String> JVM_NAMES =
      List.of(
          "reference handler",
          "finalizer",
          "signal dispatcher",
          "common-cleaner",
          "notification thread",
          "attach listener",
          "process reaper",
          "service thread",
          "monitor deflation thread",
          "c1 compilerthread",
          "c2 compilerthread",
          "sweeper thread",
          "destroyjavavm",
          "rmi ",
          "jmx ");

  private final String coordinatorApplicationId;

  /**
   * Creates the rules.
   *
   * @param coordinatorApplicationId the coordinator's Kafka Streams application id, or null when it
   *     starts with {@code opflow-coordinator} (the default, and the test kit's)
   */
  ThreadRoles(String coordinatorApplicationId) {
    this.coordinatorApplicationId =
        coordinatorApplicationId == null ? null : coordinatorApplicationId.toLowerCase(Locale.ROOT);
  }

  /**
   * Returns the role a thread works for.
   *
   * @param threadName the thread's name
   * @return its role
   */
  Role of(String threadName) {
    String name = threadName.toLowerCase(Locale.ROOT);
    // Kafka client threads carry the client id (or group id) after " | ".
    String client = name.contains("| ") ? name.substring(name.indexOf("| ") + 2) : "";
    if (startsWithAny(name, HOOKS_PREFIXES) || isHooksClient(client)) {
      return Role.HOOKS_RUNNER;
    }
    if (startsWithAny(name, WORKER_PREFIXES) || client.startsWith("opflow-worker")) {
      return Role.WORKER;
    }
    if (isCoordinator(name)) {
      return Role.COORDINATOR;
    }
    if (startsWithAny(name, BENCHMARK_PREFIXES) || client.startsWith("bench-")) {
      return Role.BENCHMARK;
    }
    if (startsWithAny(name, OTHER_PREFIXES)) {
      return Role.OTHER;
    }
    return startsWithAny(name, JVM_NAMES) ? Role.JVM : Role.BROKER;
  }

  private static boolean isHooksClient(String client) {
    return client.startsWith("opflow-hooks") || client.contains("opflow-hooks-runner");
  }

  private boolean isCoordinator(String name) {
    if (coordinatorApplicationId != null && name.contains(coordinatorApplicationId)) {
      return true;
    }
    return COORDINATOR_PARTS.stream().anyMatch(name::contains);
  }

  private static boolean startsWithAny(String name, List<String> prefixes) {
    return prefixes.stream().anyMatch(name::startsWith);
  }
}
