package io.opflow.hooks.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The hooks-runner's meters: hooks by outcome, and dispatch latency from step event to hook. */
final class HooksMetrics {
  static final String HOOKS = "opflow.hooks";
  static final String DISPATCH_LATENCY = "opflow.hook.dispatch.latency";

  private final MeterRegistry registry;
  private final Timer latency;

  HooksMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.latency =
        Timer.builder(DISPATCH_LATENCY)
            .description("From a terminal step event's timestamp to the start of its hook")
            .register(registry);
  }

  void hook(String job, String hook, String outcome) {
    registry.counter(HOOKS, "job", job, "hook", hook, "outcome", outcome).increment();
  }

  void dispatched(Duration sinceEvent) {
    latency.record(sinceEvent.isNegative() ? Duration.ZERO : sinceEvent);
  }
}
