package io.opflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class RuntimeConfigTest {

  @Test
  void defaultsAndPassThrough() {
    RuntimeConfig config =
        RuntimeConfig.of(
            Map.of("bootstrap.servers", "k:9092", "kafka.linger.ms", "7", "kafka.acks", "1"));

    assertThat(config.topics().stepEvents()).isEqualTo("opflow.step-events");
    assertThat(config.metricsPort()).isEqualTo(-1);
    Map<String, Object> producer = config.producerProps("p");
    assertThat(producer).containsEntry("linger.ms", "7").containsEntry("acks", "1");
    assertThat(producer).containsEntry("enable.idempotence", true);
    assertThat(config.consumerProps("c", "g")).containsEntry("group.id", "g");
    assertThat(config.consumerProps("c", "g")).containsEntry("allow.auto.create.topics", false);
    assertThat(config.consumerProps("c", null)).doesNotContainKey("group.id");
  }

  @Test
  void producersSendAtOnceUnlessTheRoleOrThePassThroughSaysOtherwise() {
    RuntimeConfig defaults = RuntimeConfig.of(Map.of("bootstrap.servers", "k:9092"));
    assertThat(defaults.producerProps("p")).containsEntry("linger.ms", 0);
    assertThat(defaults.producerProps("p", 5)).containsEntry("linger.ms", 5);

    RuntimeConfig overridden =
        RuntimeConfig.of(Map.of("bootstrap.servers", "k:9092", "kafka.linger.ms", "20"));
    assertThat(overridden.producerProps("p", 5)).containsEntry("linger.ms", "20");
  }

  @Test
  void consumersReadOnlyCommittedDataUnlessOverridden() {
    RuntimeConfig defaults = RuntimeConfig.of(Map.of("bootstrap.servers", "k:9092"));
    assertThat(defaults.consumerProps("c", "g")).containsEntry("isolation.level", "read_committed");
    assertThat(defaults.consumerProps("c", null))
        .containsEntry("isolation.level", "read_committed");

    RuntimeConfig overridden =
        RuntimeConfig.of(
            Map.of("bootstrap.servers", "k:9092", "kafka.isolation.level", "read_uncommitted"));
    assertThat(overridden.consumerProps("c", "g"))
        .containsEntry("isolation.level", "read_uncommitted");
  }

  @Test
  void bootstrapServersAreRequired() {
    assertThatThrownBy(() -> RuntimeConfig.of(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bootstrap.servers");
  }
}
