package io.opflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.schemas.OpflowTopics;
import io.opflow.testkit.KafkaBrokerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A role whose loop stopped on an error it cannot recover from ends the command with status 1 and
 * closes the role, so a supervisor restarts the process instead of it staying up doing nothing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RoleFailureTest {
  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  @Test
  void aRoleThatStopsOnAnErrorEndsTheCommandWithStatusOneAndIsClosed() throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean closed = new AtomicBoolean();
    Thread failLater =
        new Thread(
            () -> {
              sleep(Duration.ofSeconds(1));
              failure.set(new IllegalStateException("hook events cannot be written"));
            });
    failLater.start();

    int status =
        Roles.run(
            "test-role",
            options(),
            OpflowTopics.withPrefix("role-failure."),
            null,
            registry ->
                new Roles.Started(
                    () -> closed.set(true),
                    () -> failure.get() == null,
                    () -> Optional.ofNullable(failure.get())),
            new PrintWriter(new StringWriter()));

    assertThat(status).isEqualTo(Main.ROLE_FAILED).isNotZero();
    assertThat(closed).isTrue();
  }

  private static RoleOptions options() {
    RoleOptions options = new RoleOptions();
    options.bootstrapServers = kafka.bootstrapServers();
    options.topicPrefix = "role-failure.";
    options.metricsPort = 0;
    return options;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
