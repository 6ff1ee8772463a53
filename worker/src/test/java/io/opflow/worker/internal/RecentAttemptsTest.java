package io.opflow.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opflow.worker.internal.RecentAttempts.Attempt;
import org.junit.jupiter.api.Test;

class RecentAttemptsTest {

  @Test
  void theSameAttemptStartsOnlyOnce() {
    RecentAttempts recent = new RecentAttempts(10);

    assertThat(recent.firstStart(new Attempt("r1", "a", 1))).isTrue();
    assertThat(recent.firstStart(new Attempt("r1", "a", 1))).isFalse();
  }

  @Test
  void anotherAttemptStepOrRunIsNew() {
    RecentAttempts recent = new RecentAttempts(10);
    recent.firstStart(new Attempt("r1", "a", 1));

    assertThat(recent.firstStart(new Attempt("r1", "a", 2))).isTrue();
    assertThat(recent.firstStart(new Attempt("r1", "b", 1))).isTrue();
    assertThat(recent.firstStart(new Attempt("r2", "a", 1))).isTrue();
  }

  @Test
  void forgetsTheLeastRecentlySeenAttemptBeyondItsCapacity() {
    RecentAttempts recent = new RecentAttempts(2);
    recent.firstStart(new Attempt("r1", "a", 1));
    recent.firstStart(new Attempt("r2", "a", 1));
    recent.firstStart(new Attempt("r1", "a", 1)); // seen again: now the most recent
    recent.firstStart(new Attempt("r3", "a", 1)); // evicts r2, not r1

    assertThat(recent.size()).isEqualTo(2);
    assertThat(recent.firstStart(new Attempt("r1", "a", 1))).isFalse();
    assertThat(recent.firstStart(new Attempt("r2", "a", 1))).isTrue();
  }

  @Test
  void staysBoundedUnderManyAttempts() {
    RecentAttempts recent = new RecentAttempts(10_000);
    for (int i = 0; i < 50_000; i++) {
      recent.firstStart(new Attempt("r" + i, "a", 1));
    }
    assertThat(recent.size()).isEqualTo(10_000);
  }

  @Test
  void refusesAnEmptyCapacity() {
    assertThatThrownBy(() -> new RecentAttempts(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
