package io.opflow.benchmarks;

import java.util.List;

/**
 * The worker settings a benchmark run may change, the same in one JVM and in JVMs of their own.
 *
 * @param isolation the workers' {@code isolation.level}
 * @param startedDelayMillis the workers' {@code opflow.worker.started.delay.ms}
 */
record WorkerOptions(String isolation, long startedDelayMillis) {

  /** Returns them as the CLI's {@code --config KEY=VALUE} pairs. */
  List<String> asConfigArguments() {
    return List.of(
        "--config",
        "kafka.isolation.level=" + isolation,
        "--config",
        "opflow.worker.started.delay.ms=" + startedDelayMillis);
  }
}
