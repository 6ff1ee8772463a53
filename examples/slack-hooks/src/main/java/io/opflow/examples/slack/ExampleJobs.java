package io.opflow.examples.slack;

import io.opflow.core.GraphDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The op-hooks seed written in Java: the same two ops wired into jobs whose hooks post to Slack,
 * with the Slack resource from run config, from the configured API, or a console stand-in.
 */
public final class ExampleJobs {
  /**
   * Config of op {@code a}.
   *
   * @param fail when true, the op fails, so failure hooks fire
   */
  public record AConfig(Optional<Boolean> fail) {}

  /** Returns 1, or fails when {@code ops.a.config.fail} is true. */
  public static final OpDefinition<AConfig> A =
      OpDefinition.builder("a")
          .config(AConfig.class)
          .output(Integer.class)
          .retryPolicy(RetryPolicy.builder().maxRetries(1).delay(Duration.ofMillis(200)).build())
          .body(
              ctx -> {
                if (ctx.config().fail().orElse(false)) {
                  throw new IllegalStateException("a was asked to fail (ops.a.config.fail: true)");
                }
                ctx.log().info("a computed 1");
                return 1;
              });

  /** Adds one to its input. */
  public static final OpDefinition<?> B =
      OpDefinition.builder("b")
          .input("num", Integer.class)
          .output(Integer.class)
          .body(ctx -> ctx.input("num", Integer.class) + 1);

  /** The shared graph: {@code a -> b}. */
  public static final GraphDefinition SLACK_NOTIF_GRAPH =
      GraphDefinition.builder("slack_notif_graph").add(A).add(B.input("num", "a")).build();

  private ExampleJobs() {}

  /**
   * A hook on every op: Slack messages on success and failure, the Slack resource configured by the
   * run config ({@code resources.slack.config.webhookUrl}).
   */
  public static JobDefinition notifAll() {
    return JobDefinition.builder("notif_all")
        .add(A)
        .add(B.input("num", "a"))
        .hooks(SlackHooks.SLACK_MESSAGE_ON_SUCCESS, SlackHooks.SLACK_MESSAGE_ON_FAILURE)
        .resource("slack", SlackResources.WEBHOOK)
        .build();
  }

  /** The same job with the Slack resource configured in code, with the configured API. */
  public static JobDefinition notifAllConfigured(String webhookUrl) {
    return JobDefinition.builder("notif_all_configured")
        .add(A)
        .add(B.input("num", "a"))
        .hooks(SlackHooks.SLACK_MESSAGE_ON_SUCCESS, SlackHooks.SLACK_MESSAGE_ON_FAILURE)
        .resource(
            "slack",
            SlackResources.WEBHOOK.configured(new SlackConfig(webhookUrl, Optional.empty())))
        .build();
  }

  /** Hooks on one op instance only: {@code a} posts to Slack, {@code b} triggers no hook. */
  public static JobDefinition selectiveNotif() {
    return JobDefinition.builder("selective_notif")
        .add(A.withHooks(SlackHooks.SLACK_MESSAGE_ON_SUCCESS, SlackHooks.SLACK_MESSAGE_ON_FAILURE))
        .add(B.input("num", "a"))
        .resource("slack", SlackResources.CONSOLE)
        .build();
  }

  /** The graph as a development job: hooks fire, but Slack is the console stand-in. */
  public static JobDefinition notifAllDev() {
    return SLACK_NOTIF_GRAPH.toJob(
        "notif_all_dev",
        List.of(SlackHooks.SLACK_MESSAGE_ON_SUCCESS, SlackHooks.SLACK_MESSAGE_ON_FAILURE),
        Map.of("slack", SlackResources.CONSOLE));
  }

  /** The graph as a production job: the webhook URL comes from run config. */
  public static JobDefinition notifAllProd() {
    return SLACK_NOTIF_GRAPH.toJob(
        "notif_all_prod",
        List.of(SlackHooks.SLACK_MESSAGE_ON_SUCCESS, SlackHooks.SLACK_MESSAGE_ON_FAILURE),
        Map.of("slack", SlackResources.WEBHOOK));
  }
}
