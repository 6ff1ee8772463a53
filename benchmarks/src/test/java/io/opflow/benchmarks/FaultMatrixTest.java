package io.opflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The fault matrix's short form, part of {@code mvn verify}: the real three-node Kafka cluster and
 * seven role JVMs, three runs per scenario, the scenarios that kill a worker, a Kafka node and a
 * coordinator, and poison on every topic (about 4 minutes on a 2-core machine). Skip it with {@code
 * -Dopflow.fault.matrix=false}; the long form is the {@link FaultMatrix} command (docs/faults.md).
 */
@Tag("fault")
@Timeout(900)
@DisabledIfSystemProperty(named = "opflow.fault.matrix", matches = "false")
class FaultMatrixTest {

  @Test
  void everyPromiseHoldsWhenAWorkerAndACoordinatorAreKilled() throws Exception {
    List<String> scenarios =
        List.of("none", "worker-kill9", "broker-kill9", "coordinator-kill9", "poison-records");

    List<Figures> figures =
        FaultMatrix.run(
            Path.of("target", "fault-matrix"), 3, scenarios, FaultMatrix.DEFAULT_HOOKS_DOWN);

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
