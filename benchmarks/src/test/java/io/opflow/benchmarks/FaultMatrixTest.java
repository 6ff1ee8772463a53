package io.opflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The fault matrix's short form: the real three-node Kafka cluster and ten role JVMs, three runs
 * per scenario, the scenarios that kill a worker and a coordinator. Run with {@code
 * -Dopflow.fault.matrix=true} (docs/faults.md): on a 2-core build machine ten JVMs starve each
 * other's heartbeats past a lease, so it is not part of the default build.
 */
@Tag("fault")
@Timeout(900)
@EnabledIfSystemProperty(named = "opflow.fault.matrix", matches = "true")
class FaultMatrixTest {

  @Test
  void everyPromiseHoldsWhenAWorkerAndACoordinatorAreKilled() throws Exception {
    List<String> scenarios = List.of("none", "worker-kill9", "coordinator-kill9");

    List<Figures> figures = FaultMatrix.run(Path.of("target", "fault-matrix"), 3, scenarios);

    assertThat(figures).extracting(Figures::scenario).containsExactlyElementsOf(scenarios);
    assertThat(figures)
        .allSatisfy(
            f -> {
              assertThat(f.passed()).as(Figures.HEADER + "\n" + f.line()).isTrue();
              assertThat(f.ended()).isEqualTo(3);
            });
    assertThat(figures.get(1).workerLost())
        .as("the killed worker's steps were declared lost")
        .isPositive();
  }
}
