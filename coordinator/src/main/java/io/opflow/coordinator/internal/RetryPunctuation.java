package io.opflow.coordinator.internal;

import io.opflow.core.lifecycle.StepState;
import io.opflow.core.plan.RunProgress;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.Punctuator;

/** Issues the next attempt of every up-for-retry step whose retry time has come. */
final class RetryPunctuation implements Punctuator {
  private final RunStore store;
  private final RunDriver driver;
  private final Outbox out;

  RetryPunctuation(RunStore store, RunDriver driver, Outbox out) {
    this.store = store;
    this.driver = driver;
    this.out = out;
  }

  @Override
  public void punctuate(long timestamp) {
    long now = out.now();
    for (RunState run : store.due(now)) {
      List<String> due = due(run, now);
      if (!due.isEmpty()) {
        retry(run, due);
      }
    }
  }

  private static List<String> due(RunState run, long now) {
    return run.retryAt().entrySet().stream()
        .filter(entry -> entry.getValue() <= now)
        .map(Map.Entry::getKey)
        .toList();
  }

  private void retry(RunState run, List<String> due) {
    RunProgress progress = run.progress();
    for (String step : due) {
      run.retryAt().remove(step);
      if (progress.step(step).state() == StepState.UP_FOR_RETRY) {
        driver.issue(run, progress, step);
      }
    }
    driver.saveOrEnd(run, progress);
  }
}
