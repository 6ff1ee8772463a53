package io.opflow.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opflow.client.RunOutcome;
import io.opflow.client.RunUpdate;
import io.opflow.core.Definitions;
import io.opflow.core.UnknownDefinitionException;
import io.opflow.core.config.InvalidRunConfigException;
import io.opflow.core.config.RunConfig;
import io.opflow.examples.slack.ExampleDefinitions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(120)
class ExampleJobClusterTest {
  private static final Definitions DEFS = new ExampleDefinitions().definitions();
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static final OpflowCluster cluster = OpflowCluster.builder().definitions(DEFS).workers(2).build();

  @Test
  void successRunFiresSuccessHooksAndSkipsFailureHooks() {
    String runId = cluster.client().submit(DEFS, ExampleDefinitions.DEV_JOB, RunConfig.empty());

    RunOutcome outcome = cluster.client().awaitCompletion(runId, WAIT);

    assertThat(outcome.status()).isEqualTo("SUCCEEDED");
    assertThat(statuses(outcome.hooksNamed("slack_message_on_success")))
        .containsExactlyInAnyOrder("a COMPLETED", "b COMPLETED");
    assertThat(statuses(outcome.hooksNamed("slack_message_on_failure")))
        .containsExactlyInAnyOrder("a SKIPPED", "b SKIPPED");
  }

  @Test
  void failedRunRetriesOnceFiresTheFailureHookAndSkipsB() {
    RunConfig fail =
        RunConfig.fromMap(Map.of("ops", Map.of("a", Map.of("config", Map.of("fail", true)))));
    String runId = cluster.client().submit(DEFS, ExampleDefinitions.DEV_JOB, fail);

    RunOutcome outcome = cluster.client().awaitCompletion(runId, WAIT);

    assertThat(outcome.status()).isEqualTo("FAILED");
    assertThat(outcome.stepUpdates("a"))
        .extracting(u -> u.attempt() + " " + u.status())
        .contains("1 UP_FOR_RETRY", "2 FAILED");
    assertThat(outcome.stepUpdates("b")).extracting(RunUpdate::status).containsExactly("SKIPPED");
    assertThat(outcome.hooksNamed("slack_message_on_failure"))
        .filteredOn(h -> h.stepKey().equals("a"))
        .extracting(h -> h.attempt() + " " + h.status())
        .containsExactly("1 SKIPPED", "2 COMPLETED");
  }

  @Test
  void invalidRunConfigIsRefusedBeforeAnythingIsPublished() {
    RunConfig bad =
        RunConfig.fromMap(
            Map.of("ops", Map.of("a", Map.of("config", Map.of("fail", "maybe")), "zz", Map.of())));
    long before = runsTopicRecords();

    assertThatThrownBy(() -> cluster.client().submit(DEFS, ExampleDefinitions.DEV_JOB, bad))
        .isInstanceOf(InvalidRunConfigException.class)
        .satisfies(
            e ->
                assertThat(((InvalidRunConfigException) e).problems())
                    .hasSizeGreaterThanOrEqualTo(2));
    assertThat(runsTopicRecords()).isEqualTo(before);
  }

  @Test
  void unknownJobIsNamedWithTheKnownOnes() {
    assertThatThrownBy(() -> cluster.client().submit(DEFS, "nope", RunConfig.empty()))
        .isInstanceOf(UnknownDefinitionException.class)
        .hasMessageContaining("nope")
        .hasMessageContaining(ExampleDefinitions.DEV_JOB);
  }

  private static long runsTopicRecords() {
    Map<String, Object> props =
        Map.of(
            "bootstrap.servers", cluster.bootstrapServers(),
            "key.deserializer", ByteArrayDeserializer.class,
            "value.deserializer", ByteArrayDeserializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(cluster.topics().runs()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static List<String> statuses(List<RunUpdate> hooks) {
    return hooks.stream().map(h -> h.stepKey() + " " + h.status()).toList();
  }
}
