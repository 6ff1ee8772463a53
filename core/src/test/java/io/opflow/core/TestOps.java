package io.opflow.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Small ops and hooks shared by the core tests. */
final class TestOps {
  private TestOps() {}

  /** Records what hooks saw, in order. */
  static final class Recorder {
    final List<String> calls = new CopyOnWriteArrayList<>();

    HookDefinition success(String name) {
      return HookDefinition.successHook(name).handler(ctx -> calls.add(name + ":" + ctx.stepKey()));
    }

    HookDefinition failure(String name) {
      return HookDefinition.failureHook(name).handler(ctx -> calls.add(name + ":" + ctx.stepKey()));
    }
  }

  static OpDefinition<?> constant(String name, int value) {
    return OpDefinition.builder(name).output(Integer.class).body(ctx -> value);
  }

  static OpDefinition<?> failing(String name, RuntimeException error) {
    return OpDefinition.builder(name)
        .output(Integer.class)
        .body(
            ctx -> {
              throw error;
            });
  }

  static OpDefinition<?> addOne(String name) {
    return OpDefinition.builder(name)
        .input("num", Integer.class)
        .output(Integer.class)
        .body(ctx -> ctx.input("num", Integer.class) + 1);
  }

  static RetryPolicy quickRetries(int max) {
    return RetryPolicy.builder().maxRetries(max).delay(Duration.ofMillis(10)).build();
  }
}
