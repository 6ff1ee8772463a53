package io.opflow.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadFailuresTest {
  private final MutableClock clock = new MutableClock();
  private final ThreadFailures failures = new ThreadFailures(3, Duration.ofMinutes(5), clock);

  @Test
  void replacesAFailedThreadUntilTooManyFailInTheWindowThenStopsTheClient() {
    for (int i = 0; i < 3; i++) {
      assertThat(failures.handle(new IllegalStateException("failure " + i)))
          .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }
    assertThat(failures.fatal()).isNull();

    IllegalStateException fourth = new IllegalStateException("failure 3");
    assertThat(failures.handle(fourth)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    assertThat(failures.fatal()).isSameAs(fourth);
  }

  @Test
  void failuresOlderThanTheWindowNoLongerCount() {
    for (int i = 0; i < 3; i++) {
      failures.handle(new IllegalStateException("old"));
    }
    clock.advance(Duration.ofMinutes(6));

    assertThat(failures.handle(new IllegalStateException("new")))
        .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(failures.fatal()).isNull();
  }

  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
