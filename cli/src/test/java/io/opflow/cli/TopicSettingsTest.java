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
      Map<String, TopicDescription> topics = describe(admin, names);
      assertThat(topics).hasSize(names.size());
      assertThat(topics.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(3));
    }
  }

  @Test
  void stepTasksHasItsOwnPartitionCountByDefaultAndWhenSet() throws Exception {
    assertThat(partitionsCreated("defaulted.", Map.of()))
        .containsEntry("defaulted.step-tasks", 12)
        .containsEntry("defaulted.step-events", 6)
        .containsEntry("defaulted.runs", 6);
    assertThat(partitionsCreated("tasks.", Map.of("opflow.topic.step-tasks.partitions", "4")))
        .containsEntry("tasks.step-tasks", 4)
        .containsEntry("tasks.step-events", 6);
  }

  private static Map<String, Integer> partitionsCreated(String prefix, Map<String, String> config)
      throws Exception {
    RoleOptions options = new RoleOptions();
    options.bootstrapServers = kafka.bootstrapServers();
    options.topicPrefix = prefix;
    options.config.putAll(config);
    WorkerConfig settings = options.settings(WorkerConfig.configDef(), WorkerConfig::of, Map.of());
    options.ensureTopics(settings.topics());
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      Set<String> names =
          Set.copyOf(settings.topics().specs().stream().map(s -> s.name()).toList());
      return describe(admin, names).values().stream()
          .collect(
              java.util.stream.Collectors.toMap(
                  TopicDescription::name, t -> t.partitions().size()));
    }
  }

  // A topic just created may not be in the broker's metadata yet: describe until it is.
  private static Map<String, TopicDescription> describe(Admin admin, Set<String> names) {
    return org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS),
            found -> found.size() == names.size());
  }
}
