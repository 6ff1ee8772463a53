package io.opflow.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class CoordinatorConfigTest {

  @Test
  void defaults() {
    CoordinatorConfig config =
        new CoordinatorConfig(Map.of("bootstrap.servers", "k1:9092,k2:9092"));
    assertThat(config.bootstrapServers()).isEqualTo("k1:9092,k2:9092");
    assertThat(config.applicationId()).isEqualTo("opflow-coordinator");
    assertThat(config.leaseMillis()).isEqualTo(5000);
    assertThat(config.punctuateIntervalMillis()).isEqualTo(250);
    assertThat(config.commitIntervalMillis()).isEqualTo(100);
    assertThat(config.topics().stepEvents()).isEqualTo("opflow.step-events");
    assertThat(config.stateDir()).exists();
  }

  @Test
  void streamsRunExactlyOnceBatchingUntilCommitAndTakeKafkaPassThroughLast() {
    CoordinatorConfig config =
        new CoordinatorConfig(
            Map.of(
                "bootstrap.servers", "k:9092",
                "opflow.topic.prefix", "prod.",
                "opflow.commit.interval.ms", "50",
                "kafka.num.stream.threads", "3",
                "kafka.producer.linger.ms", "5"));
    Properties props = Coordinator.streamsConfig(config);
    assertThat(props)
        .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
        .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50L)
        .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "3")
        .containsEntry("producer.linger.ms", "5");
    assertThat(config.topics().runs()).isEqualTo("prod.runs");
    assertThat(Coordinator.streamsConfig(new CoordinatorConfig(Map.of("bootstrap.servers", "k:1"))))
        .containsEntry("producer.linger.ms", 100)
        .containsEntry("producer.batch.size", 65536);
  }

  @Test
  void refusesMissingOrInvalidValues() {
    assertThatThrownBy(() -> new CoordinatorConfig(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bootstrap.servers");
    assertThatThrownBy(
            () -> new CoordinatorConfig(Map.of("bootstrap.servers", "k:1", "opflow.lease.ms", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("opflow.lease.ms");
  }
}
