package io.opflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpflowTopicsTest {

  @Test
  void defaultNamesUseTheOpflowPrefix() {
    OpflowTopics topics = OpflowTopics.defaults();
    assertThat(topics.runs()).isEqualTo("opflow.runs");
    assertThat(topics.stepTasks()).isEqualTo("opflow.step-tasks");
    assertThat(topics.stepEvents()).isEqualTo("opflow.step-events");
    assertThat(topics.hookEvents()).isEqualTo("opflow.hook-events");
    assertThat(topics.runEvents()).isEqualTo("opflow.run-events");
    assertThat(topics.deadLetter()).isEqualTo("opflow.dead-letter");
  }

  @Test
  void defaultSettings() {
    OpflowTopics topics = OpflowTopics.defaults();
    assertThat(topics.specs())
        .hasSize(6)
        .allSatisfy(
            s -> {
              assertThat(s.partitions()).isEqualTo(s.name().endsWith("step-tasks") ? 12 : 6);
              assertThat(s.replicationFactor()).isEqualTo((short) 1);
              assertThat(s.cleanupPolicy()).isEqualTo("delete");
            });
    assertThat(topics.spec(OpflowTopic.STEP_TASKS).retention()).isEqualTo(Duration.ofDays(1));
    assertThat(topics.spec(OpflowTopic.STEP_EVENTS).retention()).isEqualTo(Duration.ofDays(7));
    assertThat(topics.spec(OpflowTopic.RUNS).retention()).isEqualTo(Duration.ofDays(7));
    assertThat(topics.spec(OpflowTopic.DEAD_LETTER).retention()).isEqualTo(Duration.ofDays(30));
    assertThat(topics.spec(OpflowTopic.RUN_EVENTS).configs())
        .containsEntry("retention.ms", "604800000")
        .containsEntry("cleanup.policy", "delete");
  }

  @Test
  void builderOverridesPrefixPartitionsReplicationAndRetention() {
    OpflowTopics topics =
        OpflowTopics.builder()
            .prefix("prod.")
            .partitions(12)
            .partitions(OpflowTopic.DEAD_LETTER, 1)
            .replicationFactor(3)
            .retention(OpflowTopic.STEP_TASKS, Duration.ofHours(6))
            .build();
    assertThat(topics.stepEvents()).isEqualTo("prod.step-events");
    assertThat(topics.spec(OpflowTopic.RUNS).partitions()).isEqualTo(12);
    assertThat(topics.spec(OpflowTopic.DEAD_LETTER).partitions()).isEqualTo(1);
    assertThat(
            OpflowTopics.builder().partitions(3).build().spec(OpflowTopic.STEP_TASKS).partitions())
        .as("a count for every topic includes step-tasks")
        .isEqualTo(3);
    assertThat(topics.spec(OpflowTopic.RUNS).replicationFactor()).isEqualTo((short) 3);
    assertThat(topics.spec(OpflowTopic.STEP_TASKS).retention()).isEqualTo(Duration.ofHours(6));
  }

  @Test
  void refusesNonsense() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> OpflowTopics.builder().partitions(0))
        .withMessageContaining("partitions");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> OpflowTopics.builder().retention(OpflowTopic.RUNS, Duration.ZERO));
  }

  @Test
  void mismatchMessageSaysWhatDiffersAndWhatToDo() {
    TopicMismatch partitions = new TopicMismatch("opflow.runs", "partitions", "6", "3");
    assertThat(partitions.message())
        .contains("'opflow.runs' has partitions=3 but Opflow expects 6")
        .contains("only grow");
    TopicMismatch policy = new TopicMismatch("opflow.runs", "cleanup.policy", "delete", "compact");
    assertThat(policy.message()).contains("kafka-configs.sh").contains("cleanup.policy=delete");
  }
}
