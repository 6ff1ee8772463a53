package io.opflow.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.client.RunOutcome;
import io.opflow.client.RunUpdate;
import io.opflow.core.config.RunConfig;
import io.opflow.testkit.cluster.OpflowCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * What the README's "Testing your jobs" shows: Kafka in a container, the Opflow roles in the test's
 * JVM around the user's own definitions ({@link Greetings}). {@code @Testcontainers} starts Kafka
 * before the cluster extension asks for its address.
 */
@RequiresDocker(images = OpflowImages.KAFKA)
@Testcontainers
@Timeout(120)
class InProcessClusterOnKafkaContainerTest {

  @Container static final KafkaContainer KAFKA = KafkaContainers.local();

  @RegisterExtension
  static final OpflowCluster CLUSTER =
      OpflowCluster.builder()
          .bootstrapServers(KAFKA::getBootstrapServers)
          .definitions(new Greetings().definitions())
          .build();

  @Test
  void aUserJobRunsOnRolesInProcessAgainstKafkaInAContainer() {
    String runId =
        CLUSTER.client().submit(new Greetings().definitions(), "greet", RunConfig.empty());

    RunOutcome outcome = CLUSTER.client().awaitCompletion(runId, Duration.ofSeconds(60));

    assertThat(outcome.status()).isEqualTo("SUCCEEDED");
    assertThat(outcome.steps())
        .filteredOn(s -> s.status().equals("SUCCEEDED"))
        .extracting(RunUpdate::stepKey)
        .containsExactly("hello", "shout");
    assertThat(outcome.hooksNamed("remember"))
        .extracting(RunUpdate::status)
        .containsOnly("COMPLETED");
    assertThat(Greetings.HEARD).contains(runId + " hello", runId + " shout");
    assertThat(CLUSTER.bootstrapServers()).isEqualTo(KAFKA.getBootstrapServers());
  }
}
