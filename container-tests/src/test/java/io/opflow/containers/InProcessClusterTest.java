package io.opflow.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.core.Definitions;
import io.opflow.core.config.RunConfig;
import io.opflow.testkit.cluster.OpflowCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the README's "Testing your jobs" shows first: a whole cluster in the test's JVM, on a Kafka
 * broker in the same JVM, around the user's own definitions ({@link Greetings}). No Docker needed.
 */
@Timeout(120)
class InProcessClusterTest {
  static final Definitions DEFS = new Greetings().definitions();

  @RegisterExtension
  static final OpflowCluster cluster = OpflowCluster.builder().definitions(DEFS).build();

  @Test
  void greets() {
    String runId = cluster.client().submit(DEFS, "greet", RunConfig.empty());
    assertThat(cluster.client().awaitCompletion(runId, Duration.ofSeconds(30)).succeeded())
        .isTrue();
  }
}
