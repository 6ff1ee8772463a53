package io.opflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarkArgsTest {
  @Test
  void argsOverrideDefaultsAndUnknownKeysAreRefused() {
    BenchmarkArgs args = BenchmarkArgs.parse("--workers=3");

    assertThat(args.get("workers")).isEqualTo(3);
    assertThat(args.get("chain.steps")).isEqualTo(50);
    assertThatThrownBy(() -> BenchmarkArgs.parse("--nope=1")).hasMessageContaining("workers");
    assertThatThrownBy(() -> BenchmarkArgs.parse("--workers=x")).hasMessageContaining("whole");
  }

  @Test
  void everyPhaseRunsByDefaultAndASubsetCanBeChosen() {
    assertThat(BenchmarkArgs.parse().phases()).isEqualTo(EnumSet.allOf(Phase.class));
    assertThat(BenchmarkArgs.parse("--phases=all").phases()).isEqualTo(EnumSet.allOf(Phase.class));

    BenchmarkArgs args = BenchmarkArgs.parse("--phases=latency, floor");

    assertThat(args.phases()).containsExactly(Phase.FLOOR, Phase.LATENCY);
    assertThat(args.runs(Phase.SCALING)).isFalse();
    assertThatThrownBy(() -> BenchmarkArgs.parse("--phases=floor,warp"))
        .hasMessageContaining("warp")
        .hasMessageContaining("throughput");
  }

  @Test
  void aFlagMayBeGivenBareButOtherKeysNeedAValue() {
    assertThat(BenchmarkArgs.parse().flag("processes")).isFalse();
    assertThat(BenchmarkArgs.parse("--processes").flag("processes")).isTrue();
    assertThat(BenchmarkArgs.parse("--processes=false").flag("processes")).isFalse();
    assertThatThrownBy(() -> BenchmarkArgs.parse("--processes=yes"))
        .hasMessageContaining("true or false");
    assertThatThrownBy(() -> BenchmarkArgs.parse("--workers")).hasMessageContaining("--workers=");
  }

  @Test
  void listsAndTextAreParsed() {
    BenchmarkArgs args = BenchmarkArgs.parse("--scaling.workers=1,3", "--worker.xmx=128m");

    assertThat(args.ints("scaling.workers")).isEqualTo(List.of(1, 3));
    assertThat(BenchmarkArgs.parse().ints("scaling.workers")).isEqualTo(List.of(1, 2, 4));
    assertThat(args.text("worker.xmx")).isEqualTo("128m");
    assertThatThrownBy(() -> BenchmarkArgs.parse("--scaling.workers=1,x"))
        .hasMessageContaining("whole");
  }

  @Test
  void aParameterIsReadOnlyAsItsOwnKind() {
    assertThatThrownBy(() -> BenchmarkArgs.parse().get("phases")).hasMessageContaining("phases");
  }

  @Test
  void helpListsEveryParameterWithItsDefault() {
    String help = BenchmarkArgs.help();

    BenchmarkArgs.PARAMS.forEach(
        (key, param) -> assertThat(help).contains("--" + key).contains(param.defaultValue()));
  }
}
