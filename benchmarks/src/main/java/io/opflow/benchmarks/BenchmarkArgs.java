package io.opflow.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The benchmark's parameters: {@code --key=value} arguments over documented defaults. A flag may be
 * given bare ({@code --processes} means {@code --processes=true}). An unknown key, or a value of
 * the wrong kind, is refused with a message that names the known keys or the expected kind.
 */
final class BenchmarkArgs {
  /** What a parameter's value must be. */
  enum Kind {
    /** A whole number. */
    INT,
    /** {@code true} or {@code false}. */
    FLAG,
    /** Whole numbers separated by commas. */
    INTS,
    /** Phase names separated by commas, or {@code all}. */
    PHASES,
    /** Any text. */
    TEXT
  }

  /** One parameter: its default, what its value must be, and its meaning. */
  record Param(String defaultValue, Kind kind, String help) {}

  /** Every parameter, in the order the help lists them. */
  static final Map<String, Param> PARAMS = params();

  private final Map<String, String> values = new LinkedHashMap<>();

  private BenchmarkArgs() {}

  private static Map<String, Param> params() {
    Map<String, Param> d = new LinkedHashMap<>();
    d.put("phases", new Param(Phase.known(), Kind.PHASES, "phases to run, or all"));
    d.put("processes", new Param("false", Kind.FLAG, "broker and each role in its own JVM"));
    d.put(
        "kafka.warmup.seconds",
        new Param("5", Kind.INT, "floor: round trips before measuring, not counted (JIT)"));
    d.put("kafka.latency.count", new Param("2000", Kind.INT, "floor: sequential round trips"));
    d.put("kafka.throughput.chains", new Param("256", Kind.INT, "floor: round trips in flight"));
    d.put("kafka.throughput.seconds", new Param("5", Kind.INT, "floor: throughput duration"));
    d.put("workers", new Param("2", Kind.INT, "Opflow workers for latency, throughput, heap"));
    d.put("worker.concurrency", new Param("32", Kind.INT, "ops running at once per worker"));
    d.put("commit.interval.ms", new Param("100", Kind.INT, "coordinator Streams commit interval"));
    d.put("warmup.wide.runs", new Param("200", Kind.INT, "warm-up: wide runs (JIT, group joins)"));
    d.put("warmup.chain.runs", new Param("5", Kind.INT, "warm-up: chain runs"));
    d.put(
        "warmup.settle.seconds",
        new Param(
            "30",
            Kind.INT,
            "in one JVM: after the warm-up, wait up to this long for the JIT compilers to go"
                + " quiet (0: no wait)"));
    d.put("wide.steps", new Param("50", Kind.INT, "throughput: independent steps after the root"));
    d.put("wide.runs", new Param("500", Kind.INT, "throughput: runs submitted at once"));
    d.put("chain.steps", new Param("50", Kind.INT, "latency: steps in the chain"));
    d.put("chain.runs", new Param("5", Kind.INT, "latency: chain runs, one after another"));
    d.put("heap.runs", new Param("20", Kind.INT, "heap: runs held in flight"));
    d.put("heap.steps", new Param("100", Kind.INT, "heap: independent held steps per run"));
    d.put("scaling.workers", new Param("1,2,4", Kind.INTS, "scaling: worker counts to measure"));
    d.put("scaling.concurrency", new Param("8", Kind.INT, "scaling: ops at once per worker"));
    d.put("scaling.sleep.ms", new Param("100", Kind.INT, "scaling: how long each step sleeps"));
    d.put("scaling.seconds", new Param("4", Kind.INT, "scaling: ideal seconds of work per count"));
    d.put("scaling.churn.seconds", new Param("3", Kind.INT, "scaling: seconds between changes"));
    d.put("worker.xmx", new Param("64m", Kind.TEXT, "--processes: the workers' -Xmx"));
    d.put(
        "worker.jvm",
        new Param(
            "-XX:+UseSerialGC -Xms16m -XX:TrimNativeHeapInterval=5000",
            Kind.TEXT,
            "--processes: more JVM options of the workers, space-separated (default: as"
                + " deploy/docker-compose.yml)"));
    d.put(
        "worker.isolation",
        new Param(
            "read_committed",
            Kind.TEXT,
            "workers' isolation.level (read_uncommitted: experiment)"));
    d.put(
        "worker.started.delay.ms",
        new Param(
            "0",
            Kind.INT,
            "workers' opflow.worker.started.delay.ms (0, the default: every step sends its"
                + " StepStarted)"));
    d.put(
        "chain.max.steps",
        new Param(
            "64", Kind.INT, "coordinator: steps a task may chain (0: worker-side chaining off)"));
    d.put("timeout.seconds", new Param("180", Kind.INT, "longest wait for one phase"));
    return d;
  }

  /**
   * Parses {@code --key=value} arguments.
   *
   * @param args the command line
   * @return the parameters, defaults filled in
   * @throws IllegalArgumentException naming the bad argument and what was expected
   */
  static BenchmarkArgs parse(String... args) {
    BenchmarkArgs parsed = new BenchmarkArgs();
    PARAMS.forEach((k, p) -> parsed.values.put(k, p.defaultValue()));
    for (String arg : args) {
      String key = keyOf(arg);
      String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "true";
      check(arg, PARAMS.get(key).kind(), value);
      parsed.values.put(key, value.trim());
    }
    return parsed;
  }

  private static String keyOf(String arg) {
    int eq = arg.indexOf('=');
    String key = arg.startsWith("--") ? arg.substring(2, eq < 0 ? arg.length() : eq) : null;
    if (key == null || !PARAMS.containsKey(key)) {
      throw new IllegalArgumentException(
          "unknown argument " + arg + "; known: --KEY=VALUE with KEY one of " + PARAMS.keySet());
    }
    if (eq < 0 && PARAMS.get(key).kind() != Kind.FLAG) {
      throw new IllegalArgumentException(arg + ": expected --" + key + "=VALUE");
    }
    return key;
  }

  private static void check(String arg, Kind kind, String value) {
    try {
      switch (kind) {
        case INT -> Integer.parseInt(value.trim());
        case INTS -> parseInts(value);
        case FLAG -> parseFlag(value);
        case PHASES -> parsePhases(value);
        case TEXT -> {}
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(arg + ": expected a whole number", e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(arg + ": " + e.getMessage(), e);
    }
  }

  private static List<Integer> parseInts(String value) {
    List<Integer> list = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      if (part.isBlank()) {
        continue; // a trailing comma, as String.split(",") allowed before
      }
      list.add(Integer.parseInt(part.trim()));
    }
    return list;
  }

  private static boolean parseFlag(String value) {
    return switch (value.trim()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("expected true or false");
    };
  }

  private static Set<Phase> parsePhases(String value) {
    if (value.trim().equals("all")) {
      return EnumSet.allOf(Phase.class);
    }
    Set<Phase> set = EnumSet.noneOf(Phase.class);
    Arrays.stream(value.split(",")).filter(s -> !s.isBlank()).map(Phase::of).forEach(set::add);
    return set;
  }

  /**
   * Returns the help text: every parameter with its default and meaning.
   *
   * @return lines, each ending with a newline
   */
  static String help() {
    StringBuilder text = new StringBuilder();
    text.append("parameters (--KEY=VALUE; a flag may be given bare):\n");
    PARAMS.forEach(
        (k, p) ->
            text.append(String.format("  --%-26s %-34s [%s]%n", k, p.help(), p.defaultValue())));
    return text.toString();
  }

  /**
   * Returns a whole-number parameter.
   *
   * @param key a key of kind {@link Kind#INT}
   * @return its value
   */
  int get(String key) {
    return Integer.parseInt(value(key, Kind.INT));
  }

  /** Returns a list-of-numbers parameter. */
  List<Integer> ints(String key) {
    return parseInts(value(key, Kind.INTS));
  }

  /** Returns a flag. */
  boolean flag(String key) {
    return parseFlag(value(key, Kind.FLAG));
  }

  /** Returns a text parameter. */
  String text(String key) {
    return value(key, Kind.TEXT);
  }

  /** Returns the selected phases. */
  Set<Phase> phases() {
    return parsePhases(value("phases", Kind.PHASES));
  }

  /** Returns whether a phase was selected. */
  boolean runs(Phase phase) {
    return phases().contains(phase);
  }

  private String value(String key, Kind kind) {
    Param param = PARAMS.get(key);
    if (param == null || param.kind() != kind) {
      throw new IllegalArgumentException("no " + kind + " parameter " + key);
    }
    return values.get(key);
  }

  /** Returns every parameter, sorted by key. */
  Map<String, String> all() {
    return new TreeMap<>(values);
  }
}
