package io.opflow.runtime.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RoleEngineTest {
  private static final Duration JOIN = Duration.ofSeconds(10);

  private final MockProducer<byte[], byte[]> producer = new MockProducer<>();
  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  private final RoleEngine engine = new RoleEngine("test", producer, new SimpleMeterRegistry());
  private final List<String> steps = new CopyOnWriteArrayList<>();

  /** Polls the mock consumer until stopped; fails on its first poll when told to. */
  private static final class Loop extends PollLoop {
    private final RuntimeException failOnPoll;
    private final AtomicInteger polls = new AtomicInteger();

    Loop(MockConsumer<byte[], byte[]> consumer, RuntimeException failOnPoll) {
      super(consumer, Duration.ofSeconds(60));
      this.failOnPoll = failOnPoll;
    }

    @Override
    protected List<String> topics() {
      return List.of("t");
    }

    @Override
    protected void pollOnce() {
      if (failOnPoll != null) {
        throw failOnPoll;
      }
      consumer.poll(Duration.ofMillis(10));
      markPolled();
      polls.incrementAndGet();
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
  }

  @AfterEach
  void closeEngine() {
    engine.close();
  }

  @Test
  void aStartedEngineIsHealthyWhileItsLoopPolls() {
    Loop loop = new Loop(consumer, null);

    engine.start(loop, "test-poll", JOIN);

    await().until(() -> loop.polls.get() > 2);
    assertThat(engine.isHealthy()).isTrue();
    assertThat(engine.failure()).isNull();
  }

  @Test
  void closeStopsTheLoopThenRunsTheStepsInOrderThenClosesTheProducer() {
    Loop loop = new Loop(consumer, null);
    engine.onClose(() -> steps.add("first: consumer closed " + consumer.closed()));
    engine.onClose(() -> steps.add("second: producer closed " + producer.closed()));
    engine.start(loop, "test-poll", JOIN);
    await().until(() -> loop.polls.get() > 0);

    engine.close();

    assertThat(steps)
        .containsExactly("first: consumer closed true", "second: producer closed false");
    assertThat(producer.closed()).isTrue();
    assertThat(engine.isHealthy()).isFalse();
    assertThat(engine.failure()).isNull();
  }

  @Test
  void closingTwiceClosesOnce() {
    engine.onClose(() -> steps.add("step"));
    engine.start(new Loop(consumer, null), "test-poll", JOIN);

    engine.close();
    engine.close();

    assertThat(steps).containsExactly("step");
    assertThat(producer.closed()).isTrue();
  }

  @Test
  void closingBeforeStartReleasesWhatWasWiredAndStartsNothing() {
    engine.onClose(() -> steps.add("step"));

    engine.close();

    assertThat(steps).containsExactly("step");
    assertThat(producer.closed()).isTrue();
    assertThat(consumer.subscription()).isEmpty();
    assertThat(engine.isHealthy()).isFalse();
    assertThat(engine.failure()).isNull();
    assertThatThrownBy(() -> engine.start(new Loop(consumer, null), "test-poll", JOIN))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("The test engine is closed");
  }

  @Test
  void anEngineStartsOnce() {
    engine.start(new Loop(consumer, null), "test-poll", JOIN);

    assertThatThrownBy(() -> engine.start(new Loop(consumer, null), "test-poll", JOIN))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("The test engine is started already");
  }

  @Test
  void aLoopThatFailsMarksTheEngineUnhealthyAndKeepsTheError() {
    IllegalStateException boom = new IllegalStateException("boom");
    engine.start(new Loop(consumer, boom), "test-poll", JOIN);

    await().until(() -> engine.failure() != null);

    assertThat(engine.failure()).isSameAs(boom);
    await().until(() -> !engine.isHealthy());
    assertThat(consumer.closed()).as("the loop closed its consumer on the way out").isTrue();
  }

  @Test
  void aFailingStepDoesNotKeepTheOthersOrTheProducerFromClosing() {
    IllegalStateException first = new IllegalStateException("first");
    IllegalStateException second = new IllegalStateException("second");
    engine.onClose(
        () -> {
          throw first;
        });
    engine.onClose(() -> steps.add("ran"));
    engine.onClose(
        () -> {
          throw second;
        });

    assertThatThrownBy(engine::close).isSameAs(first).hasSuppressedException(second);
    assertThat(steps).containsExactly("ran");
    assertThat(producer.closed()).isTrue();
  }

  @Test
  void nothingMoreIsWiredOnceClosed() {
    engine.close();

    assertThatThrownBy(() -> engine.onClose(() -> {})).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> engine.bindMetrics(consumer))
        .isInstanceOf(IllegalStateException.class);
  }
}
