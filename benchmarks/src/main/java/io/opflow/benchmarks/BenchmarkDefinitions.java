package io.opflow.benchmarks;

import io.opflow.core.Definitions;
import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.OpNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's jobs, made of no-op steps each with one no-op success hook: a wide job (one root,
 * then independent steps) for throughput and a chain for step-to-step latency.
 */
final class BenchmarkDefinitions {
  static final String WIDE = "wide";
  static final String CHAIN = "chain";

  private static final HookDefinition DONE = HookDefinition.successHook("done").handler(ctx -> {});

  private static final OpDefinition<?> ROOT =
      OpDefinition.builder("root").output(Integer.class).body(ctx -> 0);

  private static final OpDefinition<?> NEXT =
      OpDefinition.builder("next")
          .input("num", Integer.class)
          .output(Integer.class)
          .body(ctx -> ctx.input("num", Integer.class) + 1);

  private BenchmarkDefinitions() {}

  /**
   * Builds the definitions.
   *
   * @param wideSteps steps after the root of the wide job
   * @param chainSteps steps of the chain, root included
   * @return the definitions
   */
  static Definitions of(int wideSteps, int chainSteps) {
    return Definitions.builder()
        .jobs(wide(wideSteps), chain(chainSteps))
        .codeVersion("benchmark-1")
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
    return job(WIDE, nodes);
  }

  private static JobDefinition chain(int steps) {
    List<OpNode> nodes = new ArrayList<>();
    nodes.add(ROOT.alias(chainStep(0)));
    for (int i = 1; i < steps; i++) {
      nodes.add(NEXT.alias(chainStep(i)).input("num", chainStep(i - 1)));
    }
    return job(CHAIN, nodes);
  }

  private static JobDefinition job(String name, List<OpNode> nodes) {
    JobDefinition.Builder builder = JobDefinition.builder(name);
    nodes.forEach(builder::add);
    return builder.hooks(DONE).build();
  }
}
