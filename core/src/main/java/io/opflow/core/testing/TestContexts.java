package io.opflow.core.testing;

/**
 * Builds op and hook contexts outside execution, to unit-test an op or a hook by invoking it.
 * Unlike Dagster's {@code build_hook_context}, every field may be set, step key, op config and
 * output values included.
 *
 * <pre>{@code
 * RecordingSlack slack = new RecordingSlack();
 * TestContexts.hookContext()
 *     .stepKey("load")
 *     .opException(new IllegalStateException("disk full"))
 *     .resource("slack", slack)
 *     .invoke(slackOnFailure);
 * assertThat(slack.messages()).containsExactly("load failed: disk full");
 * }</pre>
 */
public final class TestContexts {
  private TestContexts() {}

  /** Starts a hook context with test defaults: job {@code test_job}, run {@code test-run}. */
  public static HookContextBuilder hookContext() {
    return new HookContextBuilder();
  }

  /** Starts an op context with test defaults: job {@code test_job}, run {@code test-run}. */
  public static OpContextBuilder opContext() {
    return new OpContextBuilder();
  }
}
