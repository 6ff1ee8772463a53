package io.opflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.testkit.KafkaBrokerExtension;
import io.opflow.worker.WorkerConfig;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Role commands create missing topics as {@code --config opflow.topic.*} says, not as defaults. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TopicSettingsTest {
  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  @Test
  void aRoleCreatesMissingTopicsWithTheConfiguredPartitions() throws Exception {
    RoleOptions options = new RoleOptions();
    options.bootstrapServers = kafka.bootstrapServers();
    options.topicPrefix = "configured.";
    options.config.put("opflow.topic.partitions", "3");
    options.config.put("opflow.topic.replication.factor", "1");
    // The worker's settings know the keys, so they pass its check of unknown settings.
    WorkerConfig config = options.settings(WorkerConfig.configDef(), WorkerConfig::of, Map.of());

    options.ensureTopics(config.topics());

    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      Set<String> names = Set.copyOf(config.topics().specs().stream().map(s -> s.name()).toList());
      Map<String, TopicDescription> topics =
          admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
      assertThat(topics).hasSize(names.size());
      assertThat(topics.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(3));
    }
  }
}
