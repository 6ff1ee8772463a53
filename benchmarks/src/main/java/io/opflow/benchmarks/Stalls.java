package io.opflow.benchmarks;

/**
 * The longest stall of a phase: the longest time in which no step started. Steps that sleep 100 ms
 * on saturated workers start in waves, so about one step duration is normal; a rebalance that stops
 * the workers shows as a longer gap.
 */
final class Stalls {
  private Stalls() {}

  /**
   * Returns the longest interval within {@code [from, to]} that holds no step start. The window
   * ends at the last start at the latest, so the end of the work is not taken for a stall.
   *
   * @param sortedStarts when steps started, in ascending order (any unit)
   * @param from the window's start
   * @param to the window's end
   * @return the longest gap, in the unit of the starts; 0 when the window holds no time with work
   */
  static long longestGap(long[] sortedStarts, long from, long to) {
    if (sortedStarts.length == 0) {
      return 0;
    }
    long end = Math.min(to, sortedStarts[sortedStarts.length - 1]);
    long previous = from;
    long longest = 0;
    for (long start : sortedStarts) {
      if (start < from) {
        continue;
      }
      if (start > end) {
        break;
      }
      longest = Math.max(longest, start - previous);
      previous = start;
    }
    return Math.max(longest, end - previous);
  }
}
