package io.opflow.hooks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.core.ErrorInfo;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class HookErrorsTest {
  private static final ErrorInfo.Frame FRAME = new ErrorInfo.Frame("C", "m", "C.java", 1);

  @Test
  void longMessagesAndDeepStacksAreCutAtEveryLevel() {
    ErrorInfo cause =
        new ErrorInfo("Cause", "y".repeat(10_000), Collections.nCopies(500, FRAME), null, false);
    ErrorInfo error =
        new ErrorInfo("Top", "x".repeat(10_000), Collections.nCopies(500, FRAME), cause, false);

    ErrorInfo bounded = HookErrors.bounded(error);

    assertThat(bounded.type()).isEqualTo("Top");
    assertThat(bounded.message())
        .startsWith("x".repeat(HookErrors.MAX_MESSAGE_CHARS))
        .endsWith("... (6000 more characters)");
    assertThat(bounded.stackFrames()).hasSize(HookErrors.MAX_FRAMES);
    assertThat(bounded.cause().message()).hasSize(HookErrors.MAX_MESSAGE_CHARS + 26);
    assertThat(bounded.cause().stackFrames()).hasSize(HookErrors.MAX_FRAMES);
  }

  @Test
  void aSmallErrorIsKeptAsItIs() {
    ErrorInfo error = new ErrorInfo("T", null, List.of(FRAME), null, true);

    assertThat(HookErrors.bounded(error)).isEqualTo(error);
  }
}
