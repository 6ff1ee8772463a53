package io.opflow.benchmarks;

import io.opflow.core.Definitions;
import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.OpNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The benchmark's jobs. Every op stamps its entry and return (see {@link Stamps}).
 *
 * <ul>
 *   <li>{@code wide}: a root, then independent no-op steps, each with one success hook that stamps
 *       its entry: throughput.
 *   <li>{@code chain}: no-op steps one after another, each with that hook: the step-to-step hop and
 *       the hook latency.
 *   <li>{@code sleepy}: independent steps that sleep, without hooks: scaling.
 *   <li>{@code hold}: independent steps that wait on a {@link Gate}, without hooks: the
 *       coordinator's heap per in-flight step.
 * </ul>
 */
final class BenchmarkDefinitions {
  static final String WIDE = "wide";
  static final String CHAIN = "chain";
  static final String SLEEPY = "sleepy";
  static final String HOLD = "hold";

  /** How long a hold step waits at most for its gate, so that nothing is held forever. */
  private static final Duration LONGEST_HOLD = Duration.ofMinutes(10);

  private static final HookDefinition DONE =
      HookDefinition.successHook("done")
          .handler(ctx -> Stamps.hookEntered(ctx.runId(), ctx.stepKey()));

  private static final OpDefinition<?> ROOT =
      OpDefinition.builder("root")
          .output(Integer.class)
          .body(
              ctx -> {
                Stamps.opEntered(ctx.runId(), ctx.stepKey());
                Stamps.opExited(ctx.runId(), ctx.stepKey());
                return 0;
              });

  private static final OpDefinition<?> NEXT =
      OpDefinition.builder("next")
          .input("num", Integer.class)
          .output(Integer.class)
          .body(
              ctx -> {
                Stamps.opEntered(ctx.runId(), ctx.stepKey());
                int next = ctx.input("num", Integer.class) + 1;
                Stamps.opExited(ctx.runId(), ctx.stepKey());
                return next;
              });

  /**
   * The sizes of the jobs and what their slow steps wait for. The workers and the hooks-runner of
   * {@code --processes} build the same definitions from system properties.
   *
   * @param wideSteps steps after the root of the wide job
   * @param chainSteps steps of the chain, root included
   * @param sleepySteps steps of the sleepy job
   * @param sleepMillis how long each sleepy step sleeps
   * @param holdSteps steps of the hold job
   * @param gate the file whose creation releases the hold steps
   */
  record Shape(
      int wideSteps, int chainSteps, int sleepySteps, int sleepMillis, int holdSteps, Path gate) {
    private static final String PREFIX = "opflow.benchmark.";

    /** Returns the shape as system properties, {@code -Dkey=value}, for a child JVM. */
    List<String> jvmOptions() {
      return asProperties().entrySet().stream()
          .map(e -> "-D" + PREFIX + e.getKey() + "=" + e.getValue())
          .toList();
    }

    private Map<String, String> asProperties() {
      return Map.of(
          "wide.steps", String.valueOf(wideSteps),
          "chain.steps", String.valueOf(chainSteps),
          "sleepy.steps", String.valueOf(sleepySteps),
          "sleep.ms", String.valueOf(sleepMillis),
          "hold.steps", String.valueOf(holdSteps),
          "gate", gate.toString());
    }

    /**
     * Reads a shape from system properties written by {@link #jvmOptions()}.
     *
     * @param properties looks a property up, such as {@link System#getProperty(String)}
     * @return the shape
     * @throws IllegalStateException naming a missing property
     */
    static Shape fromProperties(Function<String, String> properties) {
      Function<String, String> get =
          key -> {
            String value = properties.apply(PREFIX + key);
            if (value == null) {
              throw new IllegalStateException("system property " + PREFIX + key + " is not set");
            }
            return value;
          };
      return new Shape(
          Integer.parseInt(get.apply("wide.steps")),
          Integer.parseInt(get.apply("chain.steps")),
          Integer.parseInt(get.apply("sleepy.steps")),
          Integer.parseInt(get.apply("sleep.ms")),
          Integer.parseInt(get.apply("hold.steps")),
          Path.of(get.apply("gate")));
    }
  }

  private BenchmarkDefinitions() {}

  /**
   * Builds the definitions.
   *
   * @param shape the sizes of the jobs
   * @return the definitions
   */
  static Definitions of(Shape shape) {
    return Definitions.builder()
        .jobs(
            wide(shape.wideSteps()),
            chain(shape.chainSteps()),
            sleepy(shape.sleepySteps(), shape.sleepMillis()),
            hold(shape.holdSteps(), shape.gate()))
        .codeVersion("benchmark-2")
        .build();
  }

  /** Returns the step key of the chain's step {@code index}, from 0. */
  static String chainStep(int index) {
    return "s" + index;
  }

  private static JobDefinition wide(int steps) {
    List<OpNode> nodes = new ArrayList<>();
    nodes.add(ROOT.node());
    for (int i = 0; i < steps; i++) {
      nodes.add(NEXT.alias("w" + i).input("num", "root"));
    }
    return job(WIDE, nodes, true);
  }

  private static JobDefinition chain(int steps) {
    List<OpNode> nodes = new ArrayList<>();
    nodes.add(ROOT.alias(chainStep(0)));
    for (int i = 1; i < steps; i++) {
      nodes.add(NEXT.alias(chainStep(i)).input("num", chainStep(i - 1)));
    }
    return job(CHAIN, nodes, true);
  }

  private static JobDefinition sleepy(int steps, int sleepMillis) {
    OpDefinition<?> sleep =
        OpDefinition.builder("sleep")
            .output(Integer.class)
            .body(
                ctx -> {
                  Stamps.opEntered(ctx.runId(), ctx.stepKey());
                  Thread.sleep(sleepMillis);
                  Stamps.opExited(ctx.runId(), ctx.stepKey());
                  return 0;
                });
    return job(SLEEPY, independent(sleep, "z", steps), false);
  }

  private static JobDefinition hold(int steps, Path gate) {
    OpDefinition<?> hold =
        OpDefinition.builder("hold")
            .output(Integer.class)
            .body(
                ctx -> {
                  Gate.await(gate, LONGEST_HOLD);
                  return 0;
                });
    return job(HOLD, independent(hold, "h", steps), false);
  }

  private static List<OpNode> independent(OpDefinition<?> op, String prefix, int steps) {
    List<OpNode> nodes = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      nodes.add(op.alias(prefix + i));
    }
    return nodes;
  }

  private static JobDefinition job(String name, List<OpNode> nodes, boolean withHook) {
    JobDefinition.Builder builder = JobDefinition.builder(name);
    nodes.forEach(builder::add);
    return withHook ? builder.hooks(DONE).build() : builder.build();
  }
}
