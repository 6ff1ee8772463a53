package io.opflow.core;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A success, failure or retry hook: a name, the resource keys it requires, a timeout, a retry
 * policy of its own, tags and a handler. Hooks are attached to a whole job ({@link
 * JobDefinition.Builder#hooks}) or to one node ({@link OpNode#withHooks}); a hook attached twice to
 * the same step runs once.
 *
 * <pre>{@code
 * HookDefinition slackOnFailure = HookDefinition.failureHook("slack_message_on_failure")
 *     .requiredResourceKeys("slack")
 *     .handler(ctx -> ctx.resource("slack", Slack.class)
 *         .post("#alerts", ctx.stepKey() + " failed: " + ctx.opException().orElseThrow()));
 * }</pre>
 *
 * <p>A hook that calls a flaky service can be tried again ({@link Builder#retryPolicy}): the
 * hooks-runner records each try and sends a call whose tries are used up to the dead-letter topic,
 * from which {@code opflow hooks replay} fires it again.
 */
public final class HookDefinition {
  /** The timeout a hook gets unless it sets its own. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final String name;
  private final HookKind kind;
  private final Set<String> requiredResourceKeys;
  private final Duration timeout;
  private final RetryPolicy retryPolicy;
  private final Set<String> tags;
  private final HookHandler handler;

  private HookDefinition(Builder builder, HookHandler handler) {
    this.name = builder.name;
    this.kind = builder.kind;
    this.requiredResourceKeys = Set.copyOf(builder.requiredResourceKeys);
    this.timeout = builder.timeout;
    this.retryPolicy = builder.retryPolicy;
    this.tags = Collections.unmodifiableSet(new LinkedHashSet<>(builder.tags));
    this.handler = Objects.requireNonNull(handler, "handler");
  }

  /** Starts a hook that fires when a step succeeds. */
  public static Builder successHook(String name) {
    return new Builder(name, HookKind.SUCCESS);
  }

  /** Starts a hook that fires when a step fails for the last time. */
  public static Builder failureHook(String name) {
    return new Builder(name, HookKind.FAILURE);
  }

  /**
   * Starts a hook that fires for each attempt of a step that fails and is put up for retry, before
   * the next attempt: an alert before the step finally fails. It never fires for the attempt that
   * ends the step; failure hooks fire for that one.
   */
  public static Builder retryHook(String name) {
    return new Builder(name, HookKind.RETRY);
  }

  /** Returns the hook name, unique within a job. */
  public String name() {
    return name;
  }

  /** Returns whether this is a success, failure or retry hook. */
  public HookKind kind() {
    return kind;
  }

  /** Returns the resource keys the hook requires; only these are visible to it. */
  public Set<String> requiredResourceKeys() {
    return requiredResourceKeys;
  }

  /**
   * Returns how long the hook may run before it is stopped and recorded as errored; see {@link
   * Builder#timeout(Duration)}.
   */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Returns how the hook is tried again when it throws; {@link RetryPolicy#none()} unless set. Its
   * {@code maxRetries} counts tries after the first.
   */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /** Returns the hook's tags, in declared order; a hooks-runner may serve only some tags. */
  public Set<String> tags() {
    return tags;
  }

  /**
   * Returns whether the hook fires for a step that ended: a success hook when it {@code succeeded},
   * a failure hook when it failed; a retry hook never does (see {@link #firesForRetry()}).
   */
  public boolean appliesTo(boolean succeeded) {
    return kind != HookKind.RETRY && (kind == HookKind.SUCCESS) == succeeded;
  }

  /** Returns whether the hook fires for an attempt put up for retry: true for a retry hook. */
  public boolean firesForRetry() {
    return kind == HookKind.RETRY;
  }

  /**
   * Runs the handler with a context, as in a unit test; build the context with {@link
   * io.opflow.core.testing.TestContexts#hookContext()}. Exceptions propagate to the caller.
   */
  public void invoke(HookContext context) throws Exception {
    handler.handle(context);
  }

  @Override
  public String toString() {
    return "HookDefinition[" + name + ", " + kind + "]";
  }

  /** Builds a {@link HookDefinition}; {@link #handler(HookHandler)} finishes it. */
  public static final class Builder {
    private final String name;
    private final HookKind kind;
    private final Set<String> requiredResourceKeys = new LinkedHashSet<>();
    private Duration timeout = DEFAULT_TIMEOUT;
    private RetryPolicy retryPolicy = RetryPolicy.none();
    private final Set<String> tags = new LinkedHashSet<>();

    private Builder(String name, HookKind kind) {
      this.name = Names.requireValid("hook", name);
      this.kind = kind;
    }

    /** Declares the resource keys the hook requires. */
    public Builder requiredResourceKeys(String... keys) {
      List.of(keys).forEach(key -> requiredResourceKeys.add(Names.requireValid("resource", key)));
      return this;
    }

    /**
     * Sets how long the hook may run, counted from when it starts; default {@link
     * HookDefinition#DEFAULT_TIMEOUT}.
     *
     * <p>When the time is up the hook is stopped: {@link HookContext#isCanceled()} turns true, the
     * hook's thread is interrupted, and the hook is recorded as errored with a {@code
     * TimeoutException}; the next hook of the step starts. A timed-out call may still have had its
     * effect (a message sent, a row written) before it noticed, or after, if it ignores
     * interruption: pass {@link HookContext#idempotencyKey()} to the systems it changes, so a call
     * that is retried or re-run for the same key does no harm.
     */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("hook timeout must be positive, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Sets how the hook is tried again when it throws (or runs past its timeout): how many more
     * tries, the delay before each, its backoff, and which error types are retried; default {@link
     * RetryPolicy#none()}. Each try gets the same {@link HookContext#idempotencyKey()}, and {@link
     * HookContext#tryNumber()} says which it is. The hooks-runner waits out the delay without
     * holding up other hooks, and records each try as a hook event; a call whose tries are used up
     * goes to the dead-letter topic, where {@code opflow hooks replay} can fire it again.
     */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Tags the hook, for example {@code "slack"} or {@code "paging"}: a hooks-runner can serve only
     * the hooks with some tags ({@code opflow.hooks.include=tag:paging}), under its own consumer
     * group, so that slow hooks never delay urgent ones.
     */
    public Builder tags(String... names) {
      List.of(names).forEach(tag -> tags.add(Names.requireValid("tag", tag)));
      return this;
    }

    /** Sets the handler and returns the finished hook. */
    public HookDefinition handler(HookHandler handler) {
      return new HookDefinition(this, handler);
    }
  }
}
