package io.opflow.hooks.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The hooks-runner's meters: hooks by outcome, dispatch latency from step event to hook, partitions
 * paused because their lane is full, and partitions lost by being dropped from the group.
 */
final class HooksMetrics {
  static final String HOOKS = "opflow.hooks";
  static final String DISPATCH_LATENCY = "opflow.hook.dispatch.latency";
  static final String PAUSED_PARTITIONS = "opflow.hooks.partitions.paused";
  static final String LOST_PARTITIONS = "opflow.hooks.partitions.lost";

  private final MeterRegistry registry;
  private final Timer latency;
  private final AtomicInteger paused = new AtomicInteger();
  private final Counter lost;

  HooksMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.latency =
        Timer.builder(DISPATCH_LATENCY)
            .description("From a terminal step event's timestamp to the start of its hook")
            .register(registry);
    registry.gauge(PAUSED_PARTITIONS, paused);
    this.lost =
        Counter.builder(LOST_PARTITIONS)
            .description("Partitions lost because this runner was dropped from its group")
            .register(registry);
  }

  void hook(String job, String hook, String outcome) {
    registry.counter(HOOKS, "job", job, "hook", hook, "outcome", outcome).increment();
  }

  void dispatched(Duration sinceEvent) {
    latency.record(sinceEvent.isNegative() ? Duration.ZERO : sinceEvent);
  }

  void pausedPartitions(int count) {
    paused.set(count);
  }

  void partitionsLost(int count) {
    lost.increment(count);
  }
}
