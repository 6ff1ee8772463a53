package io.opflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.opflow.benchmarks.ThreadRoles.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchmarkMeasuresTest {
  @Test
  void cpuTicksAreUtimePlusStimeEvenWithSpacesInTheCommand() {
    String stat =
        "4242 (java thread) S 1 4242 4242 0 -1 4194560 1000 0 0 0 150 25 0 0 20 0 40 0 100 0";

    assertThat(ProcStats.cpuTicks(stat)).isEqualTo(175);
  }

  @Test
  void statusValuesAreReadInKib() {
    String status = "Name:\tjava\nVmHWM:\t  155000 kB\nVmRSS:\t  120500 kB\nThreads:\t40\n";

    assertThat(ProcStats.statusKb(status, "VmRSS")).isEqualTo(120_500);
    assertThat(ProcStats.statusKb(status, "VmHWM")).isEqualTo(155_000);
    assertThat(ProcStats.statusKb(status, "VmSwap")).isEqualTo(-1);
  }

  @Test
  void heapUsedIsTheFirstFigureOfHeapInfo() {
    String heapInfo =
        "12345:\n"
            + " garbage-first heap   total 262144K, used 23456K [0x0000000700000000,"
            + " 0x0000000800000000)\n"
            + "  region size 1024K, 5 young (5120K), 0 survivors (0K)\n"
            + " Metaspace       used 45678K, committed 46000K, reserved 1114112K\n";

    assertThat(ProcessDeployment.parseHeapUsed(heapInfo)).isEqualTo(23_456L * 1024);
    assertThatThrownBy(() -> ProcessDeployment.parseHeapUsed("12345: no such command"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void topicUsageIsTheGrowthPerTopicBiggestFirst() {
    Map<String, TopicUsage.Totals> before =
        Map.of(
            "opflow.step-events", new TopicUsage.Totals(100, 10_000),
            "opflow.runs", new TopicUsage.Totals(5, 500),
            "opflow.dead-letter", new TopicUsage.Totals(0, 0));
    Map<String, TopicUsage.Totals> after =
        Map.of(
            "opflow.step-events", new TopicUsage.Totals(300, 30_000),
            "opflow.runs", new TopicUsage.Totals(15, 60_500),
            "opflow.dead-letter", new TopicUsage.Totals(0, 0),
            "opflow.step-tasks", new TopicUsage.Totals(100, 12_000));

    Map<String, TopicUsage.Totals> written = TopicUsage.between(before, after);

    assertThat(written.keySet())
        .containsExactly("opflow.runs", "opflow.step-events", "opflow.step-tasks");
    assertThat(written.get("opflow.step-events")).isEqualTo(new TopicUsage.Totals(200, 20_000));
    List<String> table = TopicUsage.table(written, 100);
    assertThat(table.get(table.size() - 1))
        .contains("total")
        .contains("310")
        .contains("92000")
        .contains("3.10")
        .contains("920");
  }

  @Test
  void topicNamesLoseTheirUuids() {
    assertThat(
            TopicUsage.shortName(
                "opflow-coordinator-d76588a1-7718-42fb-9a47-83722f04383d-run-store-changelog"))
        .isEqualTo("opflow-coordinator-*-run-store-changelog");
  }

  @Test
  void shapeSurvivesTheTripThroughSystemProperties() {
    BenchmarkDefinitions.Shape shape =
        new BenchmarkDefinitions.Shape(50, 20, 40, 100, 10, Path.of("/tmp/gate"));
    Map<String, String> properties = new java.util.HashMap<>();
    for (String option : shape.jvmOptions()) {
      String[] kv = option.substring(2).split("=", 2);
      properties.put(kv[0], kv[1]);
    }

    assertThat(BenchmarkDefinitions.Shape.fromProperties(properties::get)).isEqualTo(shape);
    assertThatThrownBy(() -> BenchmarkDefinitions.Shape.fromProperties(k -> null))
        .hasMessageContaining("opflow.benchmark.");
  }

  @Test
  void theDefinitionsHoldEveryJobOfTheShape() {
    var definitions =
        BenchmarkDefinitions.of(
            new BenchmarkDefinitions.Shape(3, 4, 5, 1, 6, Path.of("/tmp/gate")));

    assertThat(definitions.jobs().keySet())
        .containsExactlyInAnyOrder("wide", "chain", "sleepy", "hold");
    assertThat(definitions.job("wide").nodes()).hasSize(4);
    assertThat(definitions.job("hold").nodes()).hasSize(6);
  }

  @Test
  void cpuPerRoleIsTheGrowthPerThreadAndTheRestOfTheProcessIsTheJvms() {
    ThreadCpu.Snapshot before =
        new ThreadCpu.Snapshot(
            Map.of(
                1L, new ThreadCpu.Sample("opflow-op-1", 100),
                2L, new ThreadCpu.Sample("kafka-scheduler-1", 50)),
            1_000,
            Map.of(
                7001L, new JvmThreads.Times(JvmThreads.Kind.JIT, 100),
                7002L, new JvmThreads.Times(JvmThreads.Kind.GC, 40)));
    ThreadCpu.Snapshot after =
        new ThreadCpu.Snapshot(
            Map.of(
                1L, new ThreadCpu.Sample("opflow-op-1", 400),
                2L, new ThreadCpu.Sample("kafka-scheduler-1", 60),
                3L, new ThreadCpu.Sample("opflow-hooks-lane-1", 200)),
            2_000,
            Map.of(
                7001L, new JvmThreads.Times(JvmThreads.Kind.JIT, 400),
                7002L, new JvmThreads.Times(JvmThreads.Kind.GC, 90),
                7003L, new JvmThreads.Times(JvmThreads.Kind.JIT, 20)));

    ThreadCpu.Usage usage = ThreadCpu.between(before, after, new ThreadRoles(null), 2);

    assertThat(usage.byRole().get(Role.WORKER)).isEqualTo(300);
    assertThat(usage.byRole().get(Role.BROKER)).isEqualTo(10);
    assertThat(usage.byRole().get(Role.HOOKS_RUNNER)).isEqualTo(200);
    assertThat(usage.byRole().get(Role.COORDINATOR)).isZero();
    // The process spent 1000, its threads 510: the JVM's own threads spent the rest.
    assertThat(usage.byRole().get(Role.JVM)).isEqualTo(490);
    assertThat(usage.total()).isEqualTo(1_000);
    assertThat(usage.busiest())
        .extracting(ThreadCpu.Sample::name)
        .containsExactly("opflow-op-1", "opflow-hooks-lane-1");
    // Of the JVM's 490, its compiler threads spent 320 (one started in between), its GC 50.
    assertThat(usage.jvmByKind())
        .containsEntry(JvmThreads.Kind.JIT, 320L)
        .containsEntry(JvmThreads.Kind.GC, 50L)
        .containsEntry(JvmThreads.Kind.OTHER, 0L);
  }

  @Test
  void idleSlotsSplitIntoRampRefillAndTail() {
    long ms = 1_000_000;
    ScalingPhase.StepTimeline timeline =
        ScalingPhase.StepTimeline.of(
            new long[] {0, 10 * ms, 102 * ms, 110 * ms, 205 * ms},
            new long[] {100 * ms, 110 * ms, 202 * ms, 210 * ms, 300 * ms});

    ScalingPhase.StepTimeline.Idle idle = timeline.idle(2);

    assertThat(idle.meanOpMillis()).isCloseTo(99.0, within(1e-9));
    assertThat(idle.rampMillis()).isCloseTo(10.0, within(1e-9));
    // While both slots had been busy: one idle 100-102 ms and one 202-205 ms, over 5 steps. The
    // slot freed at 110 ms and refilled at 110 ms waited nothing.
    assertThat(idle.refillMillisPerStep()).isCloseTo(1.0, within(1e-9));
    assertThat(idle.tailMillis()).isCloseTo(95.0, within(1e-9));
  }

  @Test
  void theJvmsOwnThreadsAreToldApartByTheirNames() {
    assertThat(JvmThreads.kindOf("C2 CompilerThre")).isEqualTo(JvmThreads.Kind.JIT);
    assertThat(JvmThreads.kindOf("C1 CompilerThre")).isEqualTo(JvmThreads.Kind.JIT);
    assertThat(JvmThreads.kindOf("GC Thread#1")).isEqualTo(JvmThreads.Kind.GC);
    assertThat(JvmThreads.kindOf("G1 Refine#0")).isEqualTo(JvmThreads.Kind.GC);
    assertThat(JvmThreads.kindOf("VM Thread")).isEqualTo(JvmThreads.Kind.OTHER);
    assertThat(JvmThreads.kindOf("kafka-producer-")).isNull();
    assertThat(JvmThreads.kindOf("rocksdb:high")).isNull();
  }

  @Test
  void thisJvmsCompilerThreadsAreFoundOnLinux() {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux's /proc");

    assertThat(JvmThreads.read().values())
        .extracting(JvmThreads.Times::kind)
        .contains(JvmThreads.Kind.JIT);
  }
}
