package io.opflow.cli.fault;

import io.opflow.core.Definitions;
import io.opflow.core.DefinitionsProvider;
import io.opflow.core.ErrorInfo;
import io.opflow.core.HookContext;
import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.RetryPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Definitions of the fault tests, loaded by class name in the worker JVMs the tests spawn and
 * directly by the test JVM's hooks-runner. The first attempt of a blocking op sleeps for a minute,
 * long enough to be killed mid-step; later attempts return at once. The hooks count their firings
 * in this JVM's statics, so only the test JVM (which runs the hooks-runner) sees the counts.
 */
public final class FaultDefinitions implements DefinitionsProvider {
  /** Hook firings by {@code runId/stepKey/attempt/hook}. */
  static final Map<String, AtomicInteger> FIRED = new ConcurrentHashMap<>();

  /** The error type the failure hook saw, by {@code runId/stepKey}. */
  static final Map<String, String> FAILURE_ERROR_TYPES = new ConcurrentHashMap<>();

  static final HookDefinition COUNT_SUCCESS =
      HookDefinition.successHook("count_success").handler(FaultDefinitions::count);

  static final HookDefinition COUNT_FAILURE =
      HookDefinition.failureHook("count_failure")
          .handler(
              ctx -> {
                count(ctx);
                FAILURE_ERROR_TYPES.put(
                    ctx.runId() + "/" + ctx.stepKey(),
                    ctx.opError().map(ErrorInfo::type).orElse("(no error)"));
              });

  static final OpDefinition<?> BLOCKING_RETRIED =
      blocking(
          "blocking_retried",
          RetryPolicy.builder().maxRetries(1).delay(Duration.ofMillis(100)).build());

  static final OpDefinition<?> BLOCKING_ONCE = blocking("blocking_once", RetryPolicy.none());

  static final OpDefinition<?> PLUS_ONE =
      OpDefinition.builder("plus_one")
          .input("num", Integer.class)
          .output(Integer.class)
          .body(ctx -> ctx.input("num", Integer.class) + 1);

  static final JobDefinition LOST_WITH_RETRY = job("lost_with_retry", BLOCKING_RETRIED);

  static final JobDefinition LOST_NO_RETRY = job("lost_no_retry", BLOCKING_ONCE);

  /** Every attempt takes 3 s: long enough to kill a coordinator while it runs. */
  static final OpDefinition<?> THREE_SECONDS =
      OpDefinition.builder("three_seconds")
          .output(Integer.class)
          .body(
              ctx -> {
                Thread.sleep(3000);
                return 1;
              });

  static final JobDefinition FAILOVER = job("failover", THREE_SECONDS);

  static final JobDefinition QUICK =
      job("quick", OpDefinition.builder("one").output(Integer.class).body(ctx -> 1));

  static final Definitions DEFS =
      Definitions.builder()
          .jobs(LOST_WITH_RETRY, LOST_NO_RETRY, FAILOVER, QUICK)
          .codeVersion("fault-1")
          .build();

  @Override
  public Definitions definitions() {
    return DEFS;
  }

  private static OpDefinition<?> blocking(String name, RetryPolicy retryPolicy) {
    return OpDefinition.builder(name)
        .output(Integer.class)
        .retryPolicy(retryPolicy)
        .body(
            ctx -> {
              if (ctx.attempt() == 1) {
                Thread.sleep(Duration.ofSeconds(60).toMillis());
              }
              return ctx.attempt();
            });
  }

  private static JobDefinition job(String name, OpDefinition<?> blocking) {
    return JobDefinition.builder(name)
        .add(blocking.alias("slow"))
        .add(PLUS_ONE.alias("after").input("num", "slow"))
        .hooks(COUNT_SUCCESS, COUNT_FAILURE)
        .build();
  }

  private static void count(HookContext ctx) {
    String key =
        ctx.runId() + "/" + ctx.stepKey() + "/" + ctx.attempt() + "/" + ctx.hookDefinition().name();
    FIRED.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  /** Returns the firings of one run, keyed {@code stepKey/attempt/hook}. */
  static Map<String, Integer> firedFor(String runId) {
    Map<String, Integer> counts = new java.util.TreeMap<>();
    FIRED.forEach(
        (k, v) -> {
          if (k.startsWith(runId + "/")) {
            counts.put(k.substring(runId.length() + 1), v.get());
          }
        });
    return counts;
  }
}
