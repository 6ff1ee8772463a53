package io.opflow.examples.slack;

import io.opflow.core.HookDefinition;

/** The seed's two hooks: a Slack message when an op succeeds, and one when it fails. */
public final class SlackHooks {
  /** The channel the example posts to. */
  public static final String CHANNEL = "#dev";

  /** Posts "op X completed successfully" when an op succeeds. */
  public static final HookDefinition SLACK_MESSAGE_ON_SUCCESS =
      HookDefinition.successHook("slack_message_on_success")
          .requiredResourceKeys("slack")
          .handler(
              ctx ->
                  ctx.resource("slack", Slack.class)
                      .postMessage(CHANNEL, "op " + ctx.op().name() + " completed successfully"));

  /** Posts "op X failed" with the exception when an op fails for the last time. */
  public static final HookDefinition SLACK_MESSAGE_ON_FAILURE =
      HookDefinition.failureHook("slack_message_on_failure")
          .requiredResourceKeys("slack")
          .handler(
              ctx ->
                  ctx.resource("slack", Slack.class)
                      .postMessage(
                          CHANNEL,
                          "op "
                              + ctx.op().name()
                              + " failed: "
                              + ctx.opException().map(Throwable::getMessage).orElse("unknown")));

  private SlackHooks() {}
}
