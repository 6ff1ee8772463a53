package io.opflow.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {

  @Test
  void taskConsumerHoldsAtMostConcurrencyUnstartedTasksAndUsesTheConsumerProtocol() {
    Map<String, Object> props = config(Map.of(WorkerConfig.CONCURRENCY_CONFIG, 3));

    assertThat(props)
        .containsEntry("max.poll.records", 3)
        .containsEntry("group.protocol", "consumer")
        .containsEntry("group.id", WorkerConfig.DEFAULT_GROUP_ID)
        .containsEntry("isolation.level", "read_committed")
        .containsEntry("enable.auto.commit", false)
        .doesNotContainKeys(
            "session.timeout.ms", "heartbeat.interval.ms", "partition.assignment.strategy");
  }

  @Test
  void kafkaSettingsWin() {
    Map<String, Object> props =
        config(
            Map.of(
                "kafka.max.poll.records", "50",
                "kafka.group.protocol", "classic",
                "kafka.isolation.level", "read_uncommitted"));

    assertThat(props)
        .containsEntry("max.poll.records", "50")
        .containsEntry("group.protocol", "classic")
        .containsEntry("isolation.level", "read_uncommitted");
  }

  @Test
  void keepsTheClassicProtocolWhenAKeyItAloneAcceptsIsSet() {
    assertThat(config(Map.of("kafka.session.timeout.ms", "10000")))
        .containsEntry("group.protocol", "classic")
        .containsEntry("session.timeout.ms", "10000");
    assertThat(config(Map.of("kafka.heartbeat.interval.ms", "500")))
        .containsEntry("group.protocol", "classic");
    assertThat(config(Map.of("kafka.partition.assignment.strategy", "x")))
        .containsEntry("group.protocol", "classic");
  }

  private static Map<String, Object> config(Map<String, Object> extra) {
    Map<String, Object> props = new HashMap<>(extra);
    props.put("bootstrap.servers", "k:9092");
    return WorkerConfig.of(props).taskConsumerProps("c");
  }
}
