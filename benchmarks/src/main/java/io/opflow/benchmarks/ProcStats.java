package io.opflow.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and memory of a process, from Linux's {@code /proc}: user plus system time from {@code
 * /proc/PID/stat} (in clock ticks, {@code getconf CLK_TCK}), resident memory now ({@code VmRSS})
 * and at its peak ({@code VmHWM}) from {@code /proc/PID/status}.
 */
final class ProcStats {
  /**
   * One reading of a process.
   *
   * @param cpuNanos user plus system CPU time so far, in nanoseconds
   * @param rssKb resident memory, in KiB
   * @param hwmKb peak resident memory, in KiB
   */
  record Reading(long cpuNanos, long rssKb, long hwmKb) {}

  private static final long TICKS_PER_SECOND = ticksPerSecond();

  private ProcStats() {}

  /**
   * Reads a process.
   *
   * @param pid the process id
   * @return its CPU time and memory
   * @throws UncheckedIOException when the process is gone or {@code /proc} is missing
   */
  static Reading read(long pid) {
    String stat = readFile(Path.of("/proc", String.valueOf(pid), "stat"));
    String status = readFile(Path.of("/proc", String.valueOf(pid), "status"));
    return new Reading(
        cpuTicks(stat) * nanosPerTick(), statusKb(status, "VmRSS"), statusKb(status, "VmHWM"));
  }

  /**
   * Returns utime plus stime of a {@code /proc/PID/stat} line, in clock ticks.
   *
   * @param stat the file's content
   * @return the ticks
   */
  static long cpuTicks(String stat) {
    // The command name, field 2, is in parentheses and may hold spaces: count from after it.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+", -1);
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /**
   * Returns a {@code kB} value of a {@code /proc/PID/status} file.
   *
   * @param status the file's content
   * @param key such as {@code VmRSS}
   * @return the value in KiB, or -1 when absent
   */
  static long statusKb(String status, String key) {
    for (String line : status.split("\n", -1)) {
      if (line.startsWith(key + ":")) {
        return Long.parseLong(line.substring(key.length() + 1).replace("kB", "").trim());
      }
    }
    return -1;
  }

  /** Returns how many nanoseconds one clock tick of {@code /proc} is. */
  static long nanosPerTick() {
    return 1_000_000_000L / TICKS_PER_SECOND;
  }

  private static String readFile(Path path) {
    try {
      return Files.readString(path, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  private static long ticksPerSecond() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      return getconf.waitFor() == 0 ? Long.parseLong(out.trim()) : 100;
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
