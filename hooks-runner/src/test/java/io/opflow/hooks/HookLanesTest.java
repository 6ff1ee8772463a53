package io.opflow.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opflow.core.Definitions;
import io.opflow.core.HookContext;
import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.config.NoConfig;
import io.opflow.events.HookEvent;
import io.opflow.events.StepEvent;
import io.opflow.events.StepSucceeded;
import io.opflow.runtime.RuntimeConfig;
import io.opflow.runtime.testing.TopicsFixture;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.testkit.KafkaBrokerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Independent hook lanes on a real broker: runners that serve different hooks, each lane under its
 * own consumer group, so a slow hook holds up only its own lane; runners of one lane share its
 * work.
 */
@Timeout(120)
class HookLanesTest {

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  private static final Duration SLOW = Duration.ofSeconds(30);

  /** How often each idempotency key fired, by the hook's name and key. */
  private static final Map<String, AtomicInteger> FIRED = new ConcurrentHashMap<>();

  private static final Map<String, Instant> RETURNED_AT = new ConcurrentHashMap<>();

  private static void fired(HookContext ctx) {
    FIRED.computeIfAbsent(ctx.idempotencyKey(), k -> new AtomicInteger()).incrementAndGet();
  }

  private static final HookDefinition SLOW_SLACK =
      HookDefinition.successHook("slack_message")
          .tags("slack")
          .timeout(SLOW.multipliedBy(2))
          .handler(
              ctx -> {
                fired(ctx);
                Thread.sleep(SLOW.toMillis()); // a Slack API having a bad day
                RETURNED_AT.put(ctx.idempotencyKey(), Instant.now());
              });
  private static final HookDefinition PAGE =
      HookDefinition.successHook("page_on_call")
          .tags("paging")
          .handler(
              ctx -> {
                fired(ctx);
                RETURNED_AT.put(ctx.idempotencyKey(), Instant.now());
              });

  private static final OpDefinition<NoConfig> DEPLOY =
      OpDefinition.builder("deploy").body(ctx -> null);

  private static final Definitions DEFINITIONS =
      Definitions.builder()
          .jobs(JobDefinition.builder("release").add(DEPLOY).hooks(SLOW_SLACK, PAGE).build())
          .build();

  private TopicsFixture fixture;
  private final List<HooksRunner> runners = new ArrayList<>();

  @BeforeEach
  void setUp() {
    fixture = new TopicsFixture(kafka.broker());
  }

  @AfterEach
  void tearDown() {
    runners.forEach(HooksRunner::close);
    fixture.close();
  }

  @Test
  void aHookThatSleeps30SecondsDoesNotDelayTheOtherLanesHook() throws Exception {
    startRunner("slack", "tag:slack", "");
    startRunner("everything-else", "*", "tag:slack");
    String runId = UUID.randomUUID().toString();

    publish(succeeded(runId));

    String slackKey = HookContext.idempotencyKey(runId, "deploy", 1, "slack_message");
    String pageKey = HookContext.idempotencyKey(runId, "deploy", 1, "page_on_call");
    // Each lane's runner joins its own group at its own pace: wait until the page has gone out and
    // the Slack hook has started, whichever came first. The Slack hook sleeps 30 s, so if it has
    // not returned by then, the page went out before it returned: its lane did not wait for it.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> RETURNED_AT.containsKey(pageKey) && FIRED.containsKey(slackKey));
    assertThat(RETURNED_AT).doesNotContainKey(slackKey);
    assertThat(FIRED.get(slackKey)).hasValue(1);
    assertThat(hookEvents(runId))
        .extracting(HookEvent::getHookName)
        .containsExactly("page_on_call");
  }

  @Test
  void twoRunnersOfOneLaneShareItsWorkAndNeverBothFireAKeyWhileTheOtherLaneFiresNothingOfIt()
      throws Exception {
    startRunner("paging", "page_*", "");
    startRunner("paging", "page_*", "");
    List<String> runIds = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String runId = UUID.randomUUID().toString();
      runIds.add(runId);
      publish(succeeded(runId));
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> runIds.stream().allMatch(id -> hookEvents(id).size() == 1));
    for (String runId : runIds) {
      assertThat(FIRED.get(HookContext.idempotencyKey(runId, "deploy", 1, "page_on_call")))
          .hasValue(1);
      assertThat(FIRED)
          .doesNotContainKey(HookContext.idempotencyKey(runId, "deploy", 1, "slack_message"));
    }
  }

  private void startRunner(String lane, String include, String exclude) {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    props.put(HooksRunnerConfig.GROUP_ID_CONFIG, fixture.topics.prefix() + lane);
    props.put(HooksRunnerConfig.INCLUDE_CONFIG, include);
    props.put(HooksRunnerConfig.EXCLUDE_CONFIG, exclude);
    props.put(RuntimeConfig.TOPIC_PREFIX_CONFIG, fixture.topics.prefix());
    runners.add(
        HooksRunner.start(
            HooksRunnerConfig.of(props), DEFINITIONS, new SimpleMeterRegistry(), name -> null));
  }

  private static StepEvent succeeded(String runId) {
    return new StepEvent(
        runId,
        "deploy",
        1,
        "release",
        "deploy",
        Instant.now(),
        new StepSucceeded(Map.of(), 3L, null),
        null);
  }

  private void publish(StepEvent event) throws Exception {
    fixture.send(fixture.topics.stepEvents(), event.getRunId(), event, OpflowSerdes.stepEvents());
  }

  private List<HookEvent> hookEvents(String runId) {
    return fixture.events(fixture.topics.hookEvents(), OpflowSerdes.hookEvents()).stream()
        .filter(e -> e.getRunId().equals(runId))
        .toList();
  }
}
