package io.opflow.examples.slack;

import java.util.Optional;

/**
 * Config of the webhook Slack resource, bound from {@code resources.slack.config}. Give the URL as
 * {@code {env: SLACK_WEBHOOK_URL}} so the secret stays out of run configs and events.
 *
 * @param webhookUrl the incoming-webhook URL
 * @param username the name messages are posted as, if not the webhook's default
 */
public record SlackConfig(String webhookUrl, Optional<String> username) {}
