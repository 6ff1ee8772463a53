package io.opflow.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU time of this JVM's own native threads, the ones ThreadMXBean does not see, by kind: the
 * JIT compilers and the garbage collector. Read from Linux's {@code /proc/self/task}, where each
 * thread has its name ({@code comm}, at most 15 characters) and its CPU time ({@code stat}); empty
 * where there is no {@code /proc}.
 */
final class JvmThreads {
  /** What a JVM thread does. */
  enum Kind {
    /** The C1 and C2 compiler threads. */
    JIT,
    /** The collector's threads: serial, parallel and G1 workers, G1's refinement and marking. */
    GC,
    /** Anything else the JVM runs natively: the VM thread, the sweeper, periodic tasks. */
    OTHER
  }

  private static final Path TASKS = Path.of("/proc/self/task");

  private JvmThreads() {}

  /**
   * Returns the kind of a JVM thread from its name, or null for a thread that is not one of the
   * JVM's own (a Java thread, or a native library's such as RocksDB's).
   *
   * @param name the thread's name as {@code /proc} gives it
   * @return its kind, or null
   */
  static Kind kindOf(String name) {
    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
      return Kind.JIT;
    }
    if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
      return Kind.GC;
    }
    if (name.startsWith("VM Thread")
        || name.startsWith("Sweeper thread")
        || name.startsWith("VM Periodic Tas")) {
      return Kind.OTHER;
    }
    return null;
  }

  /**
   * Reads the CPU time of every JVM thread alive now, by thread id.
   *
   * @return thread id to its kind and CPU time in nanoseconds; empty without {@code /proc}
   */
  static Map<Long, Times> read() {
    Map<Long, Times> threads = new HashMap<>();
    if (!Files.isDirectory(TASKS)) {
      return Map.of();
    }
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        readOne(task, threads);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + TASKS, e);
    }
    return Map.copyOf(threads);
  }

  private static void readOne(Path task, Map<Long, Times> into) {
    try {
      String name = Files.readString(task.resolve("comm"), StandardCharsets.US_ASCII).trim();
      Kind kind = kindOf(name);
      if (kind != null) {
        String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
        long nanos = ProcStats.cpuTicks(stat) * ProcStats.nanosPerTick();
        into.put(Long.parseLong(task.getFileName().toString()), new Times(kind, nanos));
      }
    } catch (IOException e) {
      // The thread ended between the listing and the read: its time since the last snapshot is
      // left in the jvm row, not split out.
    }
  }

  /**
   * Returns the CPU time the JVM's own threads spent between two reads, by kind. A thread seen only
   * in the later read counts from zero; one gone by then (the JVM starts and stops compiler threads
   * as their queue grows and shrinks) counts nothing.
   *
   * @param before the earlier {@link #read()}
   * @param after the later {@link #read()}
   * @return nanoseconds by kind, every kind present
   */
  static Map<Kind, Long> spentBetween(Map<Long, Times> before, Map<Long, Times> after) {
    Map<Kind, Long> byKind = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      byKind.put(kind, 0L);
    }
    after.forEach(
        (tid, times) -> {
          Times earlier = before.get(tid);
          long nanos = times.cpuNanos() - (earlier == null ? 0 : earlier.cpuNanos());
          byKind.merge(times.kind(), Math.max(0, nanos), Long::sum);
        });
    return byKind;
  }

  /**
   * One JVM thread's kind and CPU time so far.
   *
   * @param kind what it does
   * @param cpuNanos its CPU time, in nanoseconds
   */
  record Times(Kind kind, long cpuNanos) {}
}
