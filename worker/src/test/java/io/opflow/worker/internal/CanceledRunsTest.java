package io.opflow.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opflow.events.RunCanceled;
import io.opflow.events.RunEvent;
import io.opflow.events.RunSucceeded;
import io.opflow.runtime.testing.TopicsFixture;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.testkit.KafkaBrokerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CanceledRunsTest {
  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  private TopicsFixture fixture;
  private CanceledRuns canceled;
  private Thread thread;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new TopicsFixture(kafka.broker());
    send(runEvent("before", new RunCanceled("written before the worker started")));
    canceled =
        new CanceledRuns(
            new KafkaConsumer<>(
                Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                    "read_committed"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer()),
            fixture.topics.runEvents());
    thread = new Thread(canceled, "cancels-under-test");
    thread.start();
    assertThat(canceled.awaitPositioned(Duration.ofSeconds(20))).isTrue();
  }

  @AfterEach
  void tearDown() {
    canceled.close();
    fixture.close();
  }

  @Test
  void cancellationsWrittenAfterItStartedAreSeenAndOtherRunEventsAreNot() throws Exception {
    send(runEvent("done", new RunSucceeded(10L)));
    send(runEvent("stopped", new RunCanceled("by a user")));

    await().atMost(Duration.ofSeconds(20)).until(() -> canceled.isCanceled("stopped"));
    assertThat(canceled.isCanceled("done")).isFalse();
    assertThat(canceled.isCanceled("before")).as("read from the end").isFalse();
  }

  @Test
  void closeStopsTheThread() throws Exception {
    canceled.close();
    thread.join(10_000);
    assertThat(thread.isAlive()).isFalse();
  }

  private static RunEvent runEvent(String runId, Object payload) {
    return new RunEvent(runId, "shop", Instant.now(), payload);
  }

  private void send(RunEvent event) throws Exception {
    fixture.send(fixture.topics.runEvents(), event.getRunId(), event, OpflowSerdes.runEvents());
  }
}
