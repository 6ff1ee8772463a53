package io.opflow.benchmarks;

import io.opflow.core.Definitions;
import io.opflow.core.DefinitionsProvider;

/**
 * The benchmark's definitions for roles started from the command line by {@code --processes}
 * ({@code opflow worker --definitions io.opflow.benchmarks.BenchmarkDefinitionsProvider}): the
 * sizes of the jobs come from {@code -Dopflow.benchmark.*} system properties set by the benchmark.
 */
public final class BenchmarkDefinitionsProvider implements DefinitionsProvider {
  /** Creates the provider; the command line instantiates it by class name. */
  public BenchmarkDefinitionsProvider() {}

  @Override
  public Definitions definitions() {
    return BenchmarkDefinitions.of(BenchmarkDefinitions.Shape.fromProperties(System::getProperty));
  }
}
