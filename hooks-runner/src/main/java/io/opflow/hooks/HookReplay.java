package io.opflow.hooks;

import io.opflow.core.Definitions;
import io.opflow.hooks.internal.ReplayEngine;
import io.opflow.schemas.OpflowTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Fires hook calls again (replay) or for the first time (backfill), outside the hooks-runner.
 *
 * <p>It reads {@code hook-events}, {@code step-events} and, for dead-lettered calls, the
 * dead-letter topic from their beginning to their current end (committed records only), chooses the
 * calls the {@link Options} select, and fires each once: under the next generation of its
 * idempotency key ({@code runId/stepKey/attempt/hookName/g<N>}, N = 1 + the highest generation in
 * {@code hook-events}, at least 2), through the hook's retry policy, writing each try's hook event
 * to the step event's partition and waiting for the broker's acknowledgements. A {@linkplain
 * Options#dryRun() dry run} only lists them and publishes nothing.
 *
 * <p>A replay (not a backfill) chooses run status sensor calls too: hook events marked {@code
 * runSensor}, and dead letters read from {@code run-events}. Each fires again from its run event,
 * read from {@code run-events} (or the dead letter), through the sensor's retry policy, under
 * {@code runId/sensor/<name>/g<N>}, its tries written as the hooks-runner records a sensor call, to
 * the run event's partition.
 *
 * <pre>{@code
 * HookReplay.Report report =
 *     HookReplay.run(kafkaProps, topics, Definitions.load(),
 *         HookReplay.Options.builder(HookReplay.Calls.ERRORED).job("etl").dryRun(true).build());
 * }</pre>
 */
public final class HookReplay {
  private HookReplay() {}

  /** Which hook calls a replay or backfill chooses. */
  public enum Calls {
    /** Calls whose latest generation ended errored, with no try left. */
    ERRORED,
    /** Calls the hooks-runner sent to the dead-letter topic, unless a replay since completed. */
    DEAD_LETTERED,
    /** Every call with a hook event that ran (completed, errored, or still being tried). */
    ALL,
    /**
     * Backfill: the hooks of the loaded definitions that apply to a step attempt of the selection
     * and have no hook event at all, such as a hook added to a job after its runs.
     */
    MISSING
  }

  /** What became of a chosen call. */
  public enum Outcome {
    /** Dry run: the call would fire. */
    WOULD_FIRE,
    /** It fired and completed. */
    COMPLETED,
    /** It fired and its last try errored. */
    ERRORED,
    /** It fired and was skipped: the hook does not apply to the step event. */
    SKIPPED,
    /** It could not fire: its step event is no longer in {@code step-events} (retention). */
    SOURCE_GONE,
    /** It could not fire: its job, step or hook is not in the loaded definitions. */
    NOT_LOADED,
    /** It could not fire: what the hook sees could not be built from its step event. */
    CANNOT_FIRE
  }

  /**
   * One chosen call: a hook's, or a run status sensor's ({@link #sensor()}).
   *
   * @param key the call's base idempotency key, {@code runId/stepKey/attempt/hookName}, or {@code
   *     runId/sensor/<name>} for a sensor's call
   * @param newKey the key it fires (or would fire) under, with {@code /g<generation>}; null when it
   *     could not fire
   * @param generation the generation it fires under, 2 and up
   * @param runId the run
   * @param jobName the job, or null when unknown (the step event is gone)
   * @param stepKey the step; empty for a sensor's call
   * @param attempt the step attempt; 0 for a sensor's call
   * @param hookName the hook, or the sensor
   * @param outcome what became of it
   * @param tries how many tries it had, 0 when it did not fire
   * @param detail the last try's error or skip reason, or why it could not fire; null otherwise
   */
  public record Call(
      String key,
      String newKey,
      int generation,
      String runId,
      String jobName,
      String stepKey,
      int attempt,
      String hookName,
      Outcome outcome,
      int tries,
      String detail) {
    /** Returns whether this is a run status sensor's call, which has no step (an empty key). */
    public boolean sensor() {
      return stepKey.isEmpty();
    }
  }

  /**
   * What a replay or backfill did.
   *
   * @param dryRun whether it only listed the calls
   * @param calls every chosen call, in the order fired
   * @param notes what was left out and why, for people
   */
  public record Report(boolean dryRun, List<Call> calls, List<String> notes) {
    /** Copies the lists. */
    public Report {
      calls = List.copyOf(calls);
      notes = List.copyOf(notes);
    }

    /** Returns how many calls had an outcome. */
    public long count(Outcome outcome) {
      return calls.stream().filter(c -> c.outcome() == outcome).count();
    }
  }

  /** Which calls to choose, and whether to fire them. Build with {@link #builder(Calls)}. */
  public static final class Options {
    private final Calls calls;
    private final Set<String> runIds;
    private final Instant from;
    private final Instant to;
    private final String job;
    private final String hook;
    private final boolean dryRun;
    private final Duration timeout;

    private Options(Builder b) {
      this.calls = b.calls;
      this.runIds = Set.copyOf(b.runIds);
      this.from = b.from;
      this.to = b.to;
      this.job = b.job;
      this.hook = b.hook;
      this.dryRun = b.dryRun;
      this.timeout = b.timeout;
    }

    /** Starts options choosing {@code calls}; {@link Calls#MISSING} is a backfill. */
    public static Builder builder(Calls calls) {
      return new Builder(calls);
    }

    /** Returns which calls are chosen. */
    public Calls calls() {
      return calls;
    }

    /** Returns the runs to look at; empty for every run. */
    public Set<String> runIds() {
      return runIds;
    }

    /**
     * Returns the earliest step event (for a sensor call, run event) time looked at (inclusive), or
     * null for no bound.
     */
    public Instant from() {
      return from;
    }

    /**
     * Returns the step event (for a sensor call, run event) time looked at up to (exclusive), or
     * null for no bound.
     */
    public Instant to() {
      return to;
    }

    /** Returns the job to look at, or null for every job. */
    public String job() {
      return job;
    }

    /** Returns the hook (or run status sensor) to look at, or null for every one. */
    public String hook() {
      return hook;
    }

    /** Returns whether the calls are only listed: nothing runs and nothing is published. */
    public boolean dryRun() {
      return dryRun;
    }

    /** Returns how long a Kafka request (metadata, offsets, a read making no progress) may take. */
    public Duration timeout() {
      return timeout;
    }

    /** Builds {@link Options}. */
    public static final class Builder {
      private final Calls calls;
      private final Set<String> runIds = new LinkedHashSet<>();
      private Instant from;
      private Instant to;
      private String job;
      private String hook;
      private boolean dryRun;
      private Duration timeout = Duration.ofSeconds(30);

      private Builder(Calls calls) {
        this.calls = Objects.requireNonNull(calls, "calls");
      }

      /** Looks only at these runs (adds to those given before). */
      public Builder runIds(Collection<String> ids) {
        runIds.addAll(ids);
        return this;
      }

      /** Looks only at these runs (adds to those given before). */
      public Builder runIds(String... ids) {
        return runIds(List.of(ids));
      }

      /** Looks only at step events at or after this time. */
      public Builder from(Instant time) {
        this.from = time;
        return this;
      }

      /** Looks only at step events before this time. */
      public Builder to(Instant time) {
        this.to = time;
        return this;
      }

      /** Looks only at this job's steps. */
      public Builder job(String name) {
        this.job = name;
        return this;
      }

      /** Looks only at this hook, or this run status sensor (a replay only). */
      public Builder hook(String name) {
        this.hook = name;
        return this;
      }

      /** Only lists the calls when true. */
      public Builder dryRun(boolean only) {
        this.dryRun = only;
        return this;
      }

      /** Sets how long a Kafka request may take; default 30 s. */
      public Builder timeout(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
          throw new IllegalArgumentException("timeout must be positive, got " + limit);
        }
        this.timeout = limit;
        return this;
      }

      /**
       * Returns the options.
       *
       * @throws InvalidSelectionException when {@code from} is not before {@code to}
       */
      public Options build() {
        if (from != null && to != null && !from.isBefore(to)) {
          throw new InvalidSelectionException(
              "the time range is empty: from " + from + " is not before to " + to);
        }
        return new Options(this);
      }
    }
  }

  /**
   * Replays or backfills with {@code {env: NAME}} resolved from the process environment.
   *
   * @param kafkaProps Kafka client settings: {@code bootstrap.servers} and any security settings;
   *     the isolation level is always {@code read_committed}
   * @param topics the topic names
   * @param definitions the jobs whose hooks fire
   * @param options which calls, and whether to fire them
   * @return every chosen call and what became of it
   * @throws io.opflow.core.UnknownDefinitionException when the job or hook named in the options is
   *     not loaded, naming what is
   * @throws InvalidSelectionException when a topic does not exist
   */
  public static Report run(
      Map<String, ?> kafkaProps, OpflowTopics topics, Definitions definitions, Options options) {
    return run(kafkaProps, topics, definitions, options, System::getenv);
  }

  /**
   * Replays or backfills with an environment lookup of its own, for tests and embedding.
   *
   * @param environment returns an environment variable's value, or null when unset
   * @see #run(Map, OpflowTopics, Definitions, Options)
   */
  public static Report run(
      Map<String, ?> kafkaProps,
      OpflowTopics topics,
      Definitions definitions,
      Options options,
      Function<String, String> environment) {
    return new ReplayEngine(kafkaProps, topics, definitions, environment).run(options);
  }
}
