package io.opflow.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates missing Opflow topics and reports existing ones whose settings differ.
 *
 * <p>It never alters an existing topic: a mismatch in partitions, {@code cleanup.policy} or {@code
 * retention.ms} is returned as a {@link TopicMismatch} (and logged at WARN) for an operator to
 * decide.
 *
 * <pre>{@code
 * try (TopicAdmin admin = TopicAdmin.create(Map.of("bootstrap.servers", servers))) {
 *   List<TopicMismatch> problems = admin.ensureTopics(OpflowTopics.defaults());
 * }
 * }</pre>
 */
public final class TopicAdmin implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final Admin admin;
  private final boolean ownsAdmin;
  private final Duration timeout;

  private TopicAdmin(Admin admin, boolean ownsAdmin, Duration timeout) {
    this.admin = admin;
    this.ownsAdmin = ownsAdmin;
    this.timeout = timeout;
  }

  /**
   * Creates a helper with its own Admin client, closed by {@link #close()}.
   *
   * @param adminConfig Admin client properties, at least {@code bootstrap.servers}
   * @return the helper
   */
  public static TopicAdmin create(Map<String, Object> adminConfig) {
    return new TopicAdmin(Admin.create(adminConfig), true, DEFAULT_TIMEOUT);
  }

  /**
   * Creates a helper over an Admin client the caller keeps and closes.
   *
   * @param admin the Admin client
   * @param timeout how long each Admin call may take
   * @return the helper
   */
  public static TopicAdmin using(Admin admin, Duration timeout) {
    return new TopicAdmin(admin, false, timeout);
  }

  /**
   * Creates every missing topic of {@code topics} and checks the existing ones.
   *
   * @param topics the expected topics
   * @return the settings of existing topics that differ; empty when all match
   * @throws KafkaException when the cluster cannot be reached or refuses a request
   */
  public List<TopicMismatch> ensureTopics(OpflowTopics topics) {
    return ensureTopics(topics.specs());
  }

  /**
   * Creates every missing topic of {@code specs} and checks the existing ones.
   *
   * @param specs the expected topics
   * @return the settings of existing topics that differ; empty when all match
   * @throws KafkaException when the cluster cannot be reached or refuses a request
   */
  public List<TopicMismatch> ensureTopics(Collection<TopicSpec> specs) {
    Set<String> existing = await(admin.listTopics().names());
    List<TopicSpec> missing = specs.stream().filter(s -> !existing.contains(s.name())).toList();
    createAll(missing);
    List<TopicSpec> present = specs.stream().filter(s -> existing.contains(s.name())).toList();
    return check(present);
  }

  /**
   * Compares existing topics with {@code specs} without creating anything.
   *
   * @param specs the expected topics, which must exist
   * @return the settings that differ; empty when all match
   * @throws KafkaException when a topic is missing or the cluster cannot be reached
   */
  public List<TopicMismatch> check(Collection<TopicSpec> specs) {
    if (specs.isEmpty()) {
      return List.of();
    }
    List<String> names = specs.stream().map(TopicSpec::name).toList();
    Map<String, TopicDescription> descriptions = await(admin.describeTopics(names).allTopicNames());
    Map<ConfigResource, Config> configs = await(admin.describeConfigs(resources(names)).all());
    List<TopicMismatch> mismatches = new ArrayList<>();
    for (TopicSpec spec : specs) {
      mismatches.addAll(compare(spec, descriptions.get(spec.name()), configs.get(resource(spec))));
    }
    mismatches.forEach(m -> LOG.warn("{}", m.message()));
    return mismatches;
  }

  @Override
  public void close() {
    if (ownsAdmin) {
      admin.close(timeout);
    }
  }

  private void createAll(List<TopicSpec> missing) {
    if (missing.isEmpty()) {
      return;
    }
    List<NewTopic> requests = missing.stream().map(TopicSpec::toNewTopic).toList();
    admin.createTopics(requests).values().forEach((name, future) -> awaitCreated(name, future));
  }

  private void awaitCreated(String name, KafkaFuture<Void> future) {
    try {
      await(future);
      LOG.info("Created topic {}", name);
    } catch (KafkaException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
      // Another process created it between our listing and our request: that is fine.
    }
  }

  private static List<TopicMismatch> compare(
      TopicSpec spec, TopicDescription topic, Config config) {
    List<TopicMismatch> out = new ArrayList<>();
    addIfDifferent(out, spec, "partitions", spec.partitions(), topic.partitions().size());
    addIfDifferent(
        out, spec, TopicConfig.CLEANUP_POLICY_CONFIG, spec.cleanupPolicy(), value(config, true));
    addIfDifferent(
        out,
        spec,
        TopicConfig.RETENTION_MS_CONFIG,
        spec.retention().toMillis(),
        value(config, false));
    return out;
  }

  private static void addIfDifferent(
      List<TopicMismatch> out, TopicSpec spec, String setting, Object expected, Object actual) {
    if (!String.valueOf(expected).equals(String.valueOf(actual))) {
      out.add(
          new TopicMismatch(
              spec.name(), setting, String.valueOf(expected), String.valueOf(actual)));
    }
  }

  private static String value(Config config, boolean cleanupPolicy) {
    String name =
        cleanupPolicy ? TopicConfig.CLEANUP_POLICY_CONFIG : TopicConfig.RETENTION_MS_CONFIG;
    ConfigEntry entry = config == null ? null : config.get(name);
    return entry == null ? null : entry.value();
  }

  private static ConfigResource resource(TopicSpec spec) {
    return new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
  }

  private static List<ConfigResource> resources(List<String> names) {
    return names.stream()
        .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
        .collect(Collectors.toList());
  }

  private <V> V await(KafkaFuture<V> future) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("Interrupted while waiting for the Kafka Admin client", e);
    } catch (ExecutionException e) {
      throw new KafkaException("Kafka Admin request failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaException("Kafka Admin request took longer than " + timeout, e);
    }
  }
}
