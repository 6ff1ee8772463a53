package io.opflow.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LeaseKeeperTest {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<String> sent = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() {
    timer.shutdownNow();
  }

  @Test
  void heartbeatsUntilStopped() {
    LeaseKeeper lease = LeaseKeeper.start(timer, Duration.ofMillis(20), () -> sent.add("beat"));
    await().until(() -> sent.size() >= 2);

    assertThat(lease.stop()).isTrue();
    assertThat(sent).containsOnly("beat");
  }

  @Test
  void aHungOpsHeartbeatsEndAtTheLimitSoItsLeaseRunsOut() throws InterruptedException {
    LeaseKeeper lease = LeaseKeeper.start(timer, Duration.ofMillis(10), () -> sent.add("beat"));
    lease.endAfter(Duration.ofMillis(100), "op of step 'hung'");
    await().until(() -> sent.size() >= 2);
    Thread.sleep(300); // past the limit: the beats must have ended
    int atLimit = sent.size();
    Thread.sleep(200);

    assertThat(sent).hasSize(atLimit);
    assertThat(lease.stop()).isTrue();
  }

  @Test
  void aStepThatEndsWithinTheDelaySendsNoStart() {
    LeaseKeeper lease =
        LeaseKeeper.startAfter(
            timer,
            Duration.ofHours(1),
            Duration.ofMillis(10),
            () -> sent.add("started"),
            () -> sent.add("beat"));

    assertThat(lease.stop()).isFalse();
    assertThat(sent).isEmpty();
  }

  @Test
  void aLongerStepSendsItsStartAfterTheDelayThenHeartbeats() {
    LeaseKeeper lease =
        LeaseKeeper.startAfter(
            timer,
            Duration.ofMillis(20),
            Duration.ofMillis(20),
            () -> sent.add("started"),
            () -> sent.add("beat"));
    await().until(() -> sent.size() >= 2);

    assertThat(lease.stop()).isTrue();
    assertThat(sent.get(0)).isEqualTo("started");
    assertThat(sent.subList(1, sent.size())).containsOnly("beat");
  }

  @Test
  void startNowSendsTheStartOnceWithoutWaitingForTheDelay() {
    LeaseKeeper lease =
        LeaseKeeper.startAfter(
            timer,
            Duration.ofHours(1),
            Duration.ofHours(1),
            () -> sent.add("started"),
            () -> sent.add("beat"));

    lease.startNow();
    lease.startNow();

    assertThat(sent).containsExactly("started");
    assertThat(lease.stop()).isTrue();
  }

  @Test
  void nothingStartsAfterStop() {
    LeaseKeeper lease =
        LeaseKeeper.startAfter(
            timer, Duration.ofHours(1), Duration.ofMillis(10), () -> sent.add("started"), () -> {});
    lease.stop();

    lease.startNow();

    assertThat(sent).isEmpty();
  }
}
