package io.opflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JitSettleTest {

  @Test
  void compilersAreQuietUnderFivePercentOfACore() {
    Duration second = Duration.ofSeconds(1);
    assertThat(JitSettle.isQuiet(Duration.ofMillis(49).toNanos(), second)).isTrue();
    assertThat(JitSettle.isQuiet(Duration.ofMillis(50).toNanos(), second)).isFalse();
    assertThat(JitSettle.isQuiet(Duration.ofMillis(99).toNanos(), Duration.ofSeconds(2))).isTrue();
  }

  @Test
  void aWaitWithNoTimeLeftEndsAtOnceAndDoesNotClaimTheCompilersWentQuiet() throws Exception {
    JitSettle.Result result = JitSettle.await(Duration.ZERO);
    assertThat(result.quiet()).isFalse();
    assertThat(result.waited()).isLessThan(JitSettle.WINDOW);
  }
}
