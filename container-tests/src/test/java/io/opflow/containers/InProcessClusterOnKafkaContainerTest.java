package io.opflow.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.client.RunOutcome;
import io.opflow.client.RunUpdate;
import io.opflow.core.Definitions;
import io.opflow.core.DefinitionsProvider;
import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.config.RunConfig;
import io.opflow.testkit.cluster.OpflowCluster;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * What the README's "Testing your jobs" shows: Kafka in a container, the Opflow roles in the test's
 * JVM around the user's own definitions. {@code @Testcontainers} starts Kafka before the cluster
 * extension asks for its address.
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

  /** A user's code location: two ops in a chain and a success hook that records what it saw. */
  static final class Greetings implements DefinitionsProvider {
    /** What the hook saw: "runId stepKey". The roles run in this JVM, so the test can read it. */
    static final Queue<String> HEARD = new ConcurrentLinkedQueue<>();

    static final OpDefinition<?> HELLO =
        OpDefinition.builder("hello").output(String.class).body(ctx -> "hello");

    static final OpDefinition<?> SHOUT =
        OpDefinition.builder("shout")
            .input("word", String.class)
            .output(String.class)
            .body(ctx -> ctx.input("word", String.class).toUpperCase(java.util.Locale.ROOT));

    static final HookDefinition REMEMBER =
        HookDefinition.successHook("remember")
            .handler(ctx -> HEARD.add(ctx.runId() + " " + ctx.stepKey()));

    @Override
    public Definitions definitions() {
      return Definitions.builder()
          .jobs(
              JobDefinition.builder("greet")
                  .add(HELLO)
                  .add(SHOUT.input("word", "hello"))
                  .hooks(REMEMBER)
                  .build())
          .build();
    }
  }
}
