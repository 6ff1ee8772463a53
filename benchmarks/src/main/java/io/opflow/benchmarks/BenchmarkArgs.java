package io.opflow.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The benchmark's parameters: {@code --key=value} arguments over documented defaults. An unknown
 * key or a value that is not a whole number is refused with the known keys.
 */
final class BenchmarkArgs {
  /** Every parameter, its default and its meaning. */
  static final Map<String, String[]> DEFAULTS = defaults();

  private final Map<String, Integer> values = new LinkedHashMap<>();

  private BenchmarkArgs() {}

  private static Map<String, String[]> defaults() {
    Map<String, String[]> d = new LinkedHashMap<>();
    d.put("kafka.latency.count", new String[] {"2000", "raw Kafka: sequential round trips timed"});
    d.put("kafka.throughput.chains", new String[] {"256", "raw Kafka: round trips in flight"});
    d.put("kafka.throughput.seconds", new String[] {"10", "raw Kafka: throughput duration"});
    d.put("workers", new String[] {"2", "Opflow workers (in this JVM)"});
    d.put("worker.concurrency", new String[] {"32", "ops running at once per worker"});
    d.put("commit.interval.ms", new String[] {"100", "coordinator Kafka Streams commit interval"});
    d.put("wide.steps", new String[] {"50", "throughput: independent no-op steps after the root"});
    d.put("wide.runs", new String[] {"100", "throughput: runs submitted at once"});
    d.put("chain.steps", new String[] {"50", "latency: steps in the chain"});
    d.put("chain.runs", new String[] {"5", "latency: chain runs, one after another"});
    d.put("timeout.seconds", new String[] {"180", "longest wait for one phase"});
    return d;
  }

  /**
   * Parses {@code --key=value} arguments.
   *
   * @param args the command line
   * @return the parameters, defaults filled in
   * @throws IllegalArgumentException naming the bad argument and the known keys
   */
  static BenchmarkArgs parse(String... args) {
    BenchmarkArgs parsed = new BenchmarkArgs();
    DEFAULTS.forEach((k, v) -> parsed.values.put(k, Integer.parseInt(v[0])));
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String key = arg.startsWith("--") && eq > 2 ? arg.substring(2, eq) : null;
      if (key == null || !DEFAULTS.containsKey(key)) {
        throw new IllegalArgumentException(
            "unknown argument "
                + arg
                + "; known: --KEY=VALUE with KEY one of "
                + DEFAULTS.keySet());
      }
      try {
        parsed.values.put(key, Integer.parseInt(arg.substring(eq + 1)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(arg + ": expected a whole number", e);
      }
    }
    return parsed;
  }

  /**
   * Returns a parameter.
   *
   * @param key a key of {@link #DEFAULTS}
   * @return its value
   */
  int get(String key) {
    Integer value = values.get(key);
    if (value == null) {
      throw new IllegalArgumentException("no parameter " + key);
    }
    return value;
  }

  /** Returns every parameter, in the order of {@link #DEFAULTS}. */
  Map<String, Integer> all() {
    return Map.copyOf(values);
  }
}
