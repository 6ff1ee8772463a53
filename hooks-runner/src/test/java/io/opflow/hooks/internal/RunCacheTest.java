package io.opflow.hooks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.ResourceDefinition;
import io.opflow.events.StepEvent;
import io.opflow.events.StepSucceeded;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RunCacheTest {
  /** Config of the counting resource. */
  public record Settings(String name) {}

  private final List<String> built = new CopyOnWriteArrayList<>();
  private final List<String> closed = new CopyOnWriteArrayList<>();
  private final AtomicLong now = new AtomicLong();
  private final RunCache cache = new RunCache(name -> null, now::get);

  private final JobDefinition job =
      JobDefinition.builder("job")
          .add(OpDefinition.builder("a").body(ctx -> null))
          .resources(
              Map.of(
                  "client",
                  ResourceDefinition.builder(Settings.class)
                      .<String>factory(
                          ctx -> {
                            built.add(ctx.runId() + ":" + ctx.config().name());
                            return ctx.runId();
                          })
                      .withCloser(closed::add)))
          .build();

  private static StepEvent event(String runId, String configJson) {
    return new StepEvent(
        runId,
        "a",
        1,
        "job",
        "a",
        Instant.now(),
        new StepSucceeded(Map.of(), 1L, null),
        configJson);
  }

  private static String config(String name) {
    return "{\"resources\":{\"client\":{\"config\":{\"name\":\"" + name + "\"}}}}";
  }

  @Test
  void aRunsConfigIsParsedAndItsResourcesBuiltOnceForAllItsStepEvents() {
    RunCache.Run first = cache.get(event("r1", config("x")), job);
    first.resource("client");
    RunCache.Run second = cache.get(event("r1", config("x")), job);
    second.resource("client");

    assertThat(second).isSameAs(first);
    assertThat(built).containsExactly("r1:x");
    assertThat(closed).isEmpty();
  }

  @Test
  void aRunThatEndsHasItsResourcesClosed() {
    cache.get(event("r1", config("x")), job).resource("client");
    cache.get(event("r2", config("y")), job).resource("client");

    cache.remove("r1");

    assertThat(closed).containsExactly("r1");
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void idleRunsAreClosedOnTheNextSweep() {
    cache.get(event("r1", config("x")), job).resource("client");
    now.addAndGet(RunCache.IDLE.toNanos() / 2);
    cache.get(event("r2", config("y")), job).resource("client");
    now.addAndGet(RunCache.IDLE.toNanos() / 2 + 1);

    cache.sweep();

    assertThat(closed).containsExactly("r1");
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void theLeastRecentlyUsedRunGoesBeyondTheLimit() {
    for (int i = 0; i <= RunCache.MAX_RUNS; i++) {
      cache.get(event("r" + i, config("x")), job).resource("client");
      if (i == 1) {
        cache.get(event("r0", config("x")), job); // r0 used again: r1 is now the eldest
      }
    }

    assertThat(closed).containsExactly("r1");
    assertThat(cache.size()).isEqualTo(RunCache.MAX_RUNS);
  }

  @Test
  void aRunWhoseEventsCarryAnotherConfigStartsAfresh() {
    cache.get(event("r1", config("x")), job).resource("client");
    RunCache.Run changed = cache.get(event("r1", config("y")), job);

    assertThat(changed.config().resourceConfig("client")).isNotNull();
    assertThat(closed).containsExactly("r1");
    changed.resource("client");
    assertThat(built).containsExactly("r1:x", "r1:y");
  }

  @Test
  void clearingClosesEveryRun() {
    cache.get(event("r1", config("x")), job).resource("client");
    cache.get(event("r2", config("y")), job);

    cache.clear();

    assertThat(closed).containsExactly("r1"); // r2 never built its resources
    assertThat(cache.size()).isZero();
  }
}
