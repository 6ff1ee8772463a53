package io.opflow.core;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;

/**
 * What a hook sees when it fires: the job, run and step it fires for, the op and its config, the
 * outputs the op produced, the error it failed with, and the resources the hook requires. Build one
 * outside execution with {@link io.opflow.core.testing.TestContexts#hookContext()}.
 */
public interface HookContext {
  /** Returns the name of the job the step belongs to. */
  String jobName();

  /** Returns the run id. */
  String runId();

  /** Returns a logger whose MDC carries the run id, step key, op and hook name. */
  Logger log();

  /** Returns the hook this context belongs to. */
  HookDefinition hookDefinition();

  /** Returns the op of the step the hook fires for. */
  OpDefinition<?> op();

  /** Returns the op's config as bound from the run config. */
  Object opConfig();

  /** Returns the op's config as the given type. */
  default <T> T opConfig(Class<T> type) {
    return type.cast(opConfig());
  }

  /**
   * Returns the exception the op failed with, in failure hooks. When the op ran in another process
   * this is a {@link RemoteOpException} carrying the original type, message and stack.
   */
  Optional<Throwable> opException();

  /** Returns the error the op failed with as a plain value, in failure hooks. */
  Optional<ErrorInfo> opError();

  /** Returns the outputs the op produced, including those emitted before a failure. */
  Map<String, Object> opOutputValues();

  /** Returns the step key: the node name in the job. */
  String stepKey();

  /** Returns the attempt the hook fires for, 1 for the first. */
  int attempt();

  /**
   * Returns the attempt the step was put up for, in a retry hook: its number and when it is due.
   * Empty in success and failure hooks.
   */
  default Optional<NextAttempt> nextAttempt() {
    return Optional.empty();
  }

  /**
   * Returns which try of this hook call this is: 1, then 2 and up when the hook's {@linkplain
   * HookDefinition#retryPolicy() retry policy} tries it again after an error. Every try of a call
   * has the same {@link #idempotencyKey()}.
   */
  default int tryNumber() {
    return 1;
  }

  /** Returns the resources the hook required, and only those. */
  Resources resources();

  /** Returns a required resource; shorthand for {@code resources().get(key, type)}. */
  default <T> T resource(String key, Class<T> type) {
    return resources().get(key, type);
  }

  /** Returns the resource keys the hook requires. */
  Set<String> requiredResourceKeys();

  /**
   * Returns a key stable across redeliveries and tries of the same step outcome: {@code
   * runId/stepKey/attempt/hookName}, and for a call fired again by {@code opflow hooks replay} the
   * same with {@code /g<N>} appended (N from 2: the replay's generation). Pass it to external
   * systems to make side effects idempotent: a hook may run again for the same key after a
   * hooks-runner crash, and a call that ran past its timeout may still have had its effect.
   */
  String idempotencyKey();

  /**
   * Returns whether the hook was canceled because it ran past its {@linkplain
   * HookDefinition#timeout() timeout}. At that moment the hook's thread is also interrupted and the
   * hook is recorded as errored; a hook doing long work checks this between steps (or stops on
   * {@link InterruptedException}) and returns without starting more work. What it did before may
   * already have taken effect: pass {@link #idempotencyKey()} to external systems for that.
   *
   * @return true once the hook's time is up
   */
  default boolean isCanceled() {
    return false;
  }

  /**
   * Returns {@link #isCanceled()}: the same answer under the former spelling, kept so hooks written
   * against it go on compiling and working.
   *
   * @return true once the hook's time is up
   * @deprecated use {@link #isCanceled()}, spelled as Opflow's events, states and statuses spell
   *     <i>canceled</i>; this alias is not going away
   */
  @Deprecated(forRemoval = false)
  default boolean isCancelled() {
    return isCanceled();
  }

  /** Returns the idempotency key for a hook firing on a step attempt. */
  static String idempotencyKey(String runId, String stepKey, int attempt, String hookName) {
    return runId + "/" + stepKey + "/" + attempt + "/" + hookName;
  }

  /**
   * Returns the idempotency key of a generation of a hook call: the plain key for generation 1 (the
   * original call), with {@code /g<generation>} appended for a call fired again by a replay.
   */
  static String idempotencyKey(
      String runId, String stepKey, int attempt, String hookName, int generation) {
    if (generation < 1) {
      throw new IllegalArgumentException("generation must be 1 or more, got " + generation);
    }
    String key = idempotencyKey(runId, stepKey, attempt, hookName);
    return generation == 1 ? key : key + "/g" + generation;
  }
}
