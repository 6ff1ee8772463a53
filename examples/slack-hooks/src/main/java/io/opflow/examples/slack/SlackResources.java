package io.opflow.examples.slack;

import io.opflow.core.ResourceDefinition;
import io.opflow.core.config.NoConfig;

/** The Slack resources of the example: the real webhook client and a console stand-in. */
public final class SlackResources {
  /** Posts to the webhook given in {@code resources.slack.config.webhookUrl}. */
  public static final ResourceDefinition<SlackConfig, Slack> WEBHOOK =
      ResourceDefinition.builder(SlackConfig.class).factory(ctx -> new WebhookSlack(ctx.config()));

  /** Prints messages instead of posting them; for development and tests. */
  public static final ResourceDefinition<NoConfig, Slack> CONSOLE =
      ResourceDefinition.hardcoded(new ConsoleSlack());

  private SlackResources() {}
}
