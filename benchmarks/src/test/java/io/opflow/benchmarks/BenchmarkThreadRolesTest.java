package io.opflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.benchmarks.ThreadRoles.Role;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BenchmarkThreadRolesTest {
  private static final String APP = "opflow-coordinator-d76588a1-7718-42fb-9a47-83722f04383d";

  /** Names seen in a thread dump of an in-process run, plus ones the roles may add later. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "opflow-worker-poll; WORKER",
        "opflow-op-17; WORKER",
        "opflow-heartbeat-1; WORKER",
        "kafka-producer-network-thread | opflow-worker-worker-1-producer; WORKER",
        "kafka-coordinator-heartbeat-thread | opflow-workers; WORKER",
        "opflow-worker-sender-2; WORKER",
        "opflow-hooks-poll; HOOKS_RUNNER",
        "opflow-hook-4; HOOKS_RUNNER",
        "opflow-hooks-lane-3; HOOKS_RUNNER",
        "kafka-producer-network-thread | opflow-hooks-runner-56e97bfe-producer; HOOKS_RUNNER",
        "kafka-coordinator-heartbeat-thread | opflow-hooks-runner; HOOKS_RUNNER",
        APP + "-ffd4766a-8c53-43fb-b3e5-3a0919e61cae-StreamThread-1; COORDINATOR",
        APP + "-ffd4766a-8c53-43fb-b3e5-3a0919e61cae-StateUpdater-1; COORDINATOR",
        APP + "-ffd4766a-8c53-43fb-b3e5-3a0919e61cae-CleanupThread; COORDINATOR",
        "kafka-producer-network-thread | "
            + APP
            + "-ffd4766a-8c53-43fb-b3e5-3a0919e61cae-StreamThread-1-producer; COORDINATOR",
        "kafka-coordinator-heartbeat-thread | " + APP + "; COORDINATOR",
        "kafka-admin-client-thread | " + APP + "-ffd4766a-admin; COORDINATOR",
        "my-app-1234-StreamThread-2; COORDINATOR",
        "main; BENCHMARK",
        "bench-event-tap; BENCHMARK",
        "bench-floor-echo; BENCHMARK",
        "kafka-producer-network-thread | bench-client; BENCHMARK",
        "kafka-producer-network-thread | bench-floor-producer-3; BENCHMARK",
        "micrometer-kafka-metrics; OTHER",
        "HTTP-Dispatcher; OTHER",
        "opflow-observability; OTHER",
        "consumer_background_thread; OTHER",
        "kafka-producer-network-thread | producer-5; OTHER",
        "data-plane-kafka-request-handler-3; BROKER",
        "data-plane-kafka-network-thread-1-PLAINTEXT-PLAINTEXT-0; BROKER",
        "kafka-scheduler-4; BROKER",
        "group-coordinator-event-processor-1; BROKER",
        "quorum-controller-1-event-handler; BROKER",
        "kafka-1-raft-io-thread; BROKER",
        "TxnMarkerSenderThread-1; BROKER",
        "ExpirationReaper-1-Produce; BROKER",
        "metrics-meter-tick-thread-1; BROKER",
        "Reference Handler; JVM",
        "Common-Cleaner; JVM",
        "process reaper; JVM",
      })
  void namesMapToRoles(String name, Role role) {
    assertThat(new ThreadRoles(null).of(name)).isEqualTo(role);
  }

  @ParameterizedTest
  @CsvSource({"coord-prod-7-StreamThread-1", "kafka-coordinator-heartbeat-thread | coord-prod-7"})
  void aConfiguredApplicationIdMarksTheCoordinator(String name) {
    assertThat(new ThreadRoles("coord-prod-7").of(name)).isEqualTo(Role.COORDINATOR);
    assertThat(new ThreadRoles(null).of("kafka-coordinator-heartbeat-thread | coord-prod-7"))
        .isEqualTo(Role.OTHER);
  }
}
