package io.opflow.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.client.RunUpdate;
import io.opflow.client.RunUpdate.Source;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CausalOrderTest {
  private static final RunUpdate RUN_STARTED = run("STARTED");
  private static final RunUpdate RUN_FAILED = run("FAILED");
  private static final RunUpdate A_STARTED = step("a", 1, "STARTED");
  private static final RunUpdate A_RETRY = step("a", 1, "UP_FOR_RETRY");
  private static final RunUpdate A2_STARTED = step("a", 2, "STARTED");
  private static final RunUpdate A2_FAILED = step("a", 2, "FAILED");
  private static final RunUpdate A2_HOOK = hook("a", 2, "on_failure");
  private static final RunUpdate B_SKIPPED = step("b", 0, "SKIPPED");
  private static final RunUpdate B_HOOK = hook("b", 0, "on_failure");

  @Test
  void holdsHooksUntilTheirStepEndedStepsUntilTheRunStartedAndTheRunEndUntilFlushed() {
    List<RunUpdate> out = new ArrayList<>();
    CausalOrder order = new CausalOrder(out::add);

    // The order a reader of three topics may well see: hooks and run events first.
    List.of(A2_HOOK, B_HOOK, RUN_FAILED, A_STARTED, RUN_STARTED).forEach(order::accept);
    assertThat(out).containsExactly(RUN_STARTED, A_STARTED);

    List.of(A_RETRY, A2_STARTED, A2_FAILED, B_SKIPPED).forEach(order::accept);
    assertThat(out)
        .containsExactly(
            RUN_STARTED, A_STARTED, A_RETRY, A2_STARTED, A2_FAILED, A2_HOOK, B_SKIPPED, B_HOOK);

    order.flush();
    assertThat(out).last().isEqualTo(RUN_FAILED);
  }

  @Test
  void flushReleasesWhatNeverGotItsCauseInArrivalOrder() {
    List<RunUpdate> sorted = CausalOrder.sort(List.of(A2_HOOK, RUN_FAILED, A_STARTED));

    assertThat(sorted).containsExactly(A_STARTED, A2_HOOK, RUN_FAILED);
  }

  private static RunUpdate run(String status) {
    return new RunUpdate("r", Source.RUN, "", 0, "job", status, "", 0);
  }

  private static RunUpdate step(String key, int attempt, String status) {
    return new RunUpdate("r", Source.STEP, key, attempt, key, status, "", 0);
  }

  private static RunUpdate hook(String key, int attempt, String name) {
    return new RunUpdate("r", Source.HOOK, key, attempt, name, "COMPLETED", "", 0);
  }
}
