package io.opflow.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of every thread of this JVM, per role ({@link ThreadRoles}), between two snapshots.
 *
 * <p>A sampler thread reads every live thread's CPU time (ThreadMXBean) twice a second and keeps
 * the last value seen per thread id, so a thread that ends between two snapshots still counts, up
 * to its last sample. The JVM's own threads that are not Java threads (garbage collection, JIT
 * compilation, the VM thread) have no ThreadMXBean time: they count as {@code jvm}, as the
 * process's CPU time minus that of its Java threads, and are read by kind from {@code /proc} at
 * each snapshot only ({@link JvmThreads}): they live as long as the JVM, but for compiler threads
 * the JVM adds and removes under load, whose time between two snapshots is then not split out.
 */
final class ThreadCpu implements AutoCloseable {
  /** One thread's name and CPU time so far, in nanoseconds. */
  record Sample(String name, long cpuNanos) {}

  /**
   * The CPU time of every thread seen so far, by thread id, and the process's.
   *
   * @param threads thread id to its last sample
   * @param processCpuNanos the process's CPU time
   * @param jvmThreads the JVM's own threads' last samples, by native thread id
   */
  record Snapshot(
      Map<Long, Sample> threads, long processCpuNanos, Map<Long, JvmThreads.Times> jvmThreads) {}

  /**
   * CPU spent between two snapshots.
   *
   * @param byRole nanoseconds per role, every role present
   * @param busiest the threads that spent the most, most first
   * @param jvmByKind of the {@code jvm} role, what the JVM's own threads spent, by kind
   */
  record Usage(
      Map<ThreadRoles.Role, Long> byRole,
      List<Sample> busiest,
      Map<JvmThreads.Kind, Long> jvmByKind) {
    /** Returns the total over every role, in nanoseconds. */
    long total() {
      return byRole.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static final long INTERVAL_MILLIS = 500;

  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final Map<Long, Sample> seen = new HashMap<>();
  private final Thread sampler;
  private volatile boolean running = true;

  /** Starts sampling. */
  ThreadCpu() {
    sampler = new Thread(this::loop, "bench-cpu-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  private void loop() {
    while (running) {
      sample();
      try {
        Thread.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void sample() {
    long[] ids = threads.getAllThreadIds();
    long[] cpu = threads.getThreadCpuTime(ids);
    ThreadInfo[] infos = threads.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      if (cpu[i] >= 0 && infos[i] != null) {
        seen.put(ids[i], new Sample(infos[i].getThreadName(), cpu[i]));
      }
    }
  }

  /**
   * Samples now and returns every thread's CPU time so far.
   *
   * @return the snapshot
   */
  synchronized Snapshot snapshot() {
    sample();
    return new Snapshot(Map.copyOf(seen), os.getProcessCpuTime(), JvmThreads.read());
  }

  /**
   * Returns the CPU spent between two snapshots, per role.
   *
   * @param before the earlier snapshot
   * @param after the later snapshot
   * @param roles the rules that give a thread's role
   * @param busiest how many of the busiest threads to list
   * @return the CPU per role
   */
  static Usage between(Snapshot before, Snapshot after, ThreadRoles roles, int busiest) {
    Map<ThreadRoles.Role, Long> byRole = new EnumMap<>(ThreadRoles.Role.class);
    for (ThreadRoles.Role role : ThreadRoles.Role.values()) {
      byRole.put(role, 0L);
    }
    List<Sample> spent = new ArrayList<>();
    after
        .threads()
        .forEach(
            (id, sample) -> {
              Sample earlier = before.threads().get(id);
              long nanos = sample.cpuNanos() - (earlier == null ? 0 : earlier.cpuNanos());
              byRole.merge(roles.of(sample.name()), nanos, Long::sum);
              spent.add(new Sample(sample.name(), nanos));
            });
    long threadsTotal = spent.stream().mapToLong(Sample::cpuNanos).sum();
    long process = after.processCpuNanos() - before.processCpuNanos();
    // Time the process spent outside its Java threads: GC, JIT compilers, the VM thread.
    byRole.merge(ThreadRoles.Role.JVM, Math.max(0, process - threadsTotal), Long::sum);
    spent.sort(Comparator.comparingLong(Sample::cpuNanos).reversed());
    return new Usage(
        byRole,
        List.copyOf(spent.subList(0, Math.min(busiest, spent.size()))),
        JvmThreads.spentBetween(before.jvmThreads(), after.jvmThreads()));
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    sampler.interrupt();
    sampler.join();
  }
}
