package io.opflow.coordinator.internal;

import io.opflow.core.lifecycle.StepState;
import org.apache.kafka.streams.processor.Punctuator;

/** Issues the next attempt of every up-for-retry step whose retry time has come. */
final class RetryPunctuation implements Punctuator {
  private final RunStore store;
  private final RunDriver driver;
  private final Outbox out;
  private final DueQueue retries;

  RetryPunctuation(RunStore store, RunDriver driver, Outbox out, DueQueue retries) {
    this.store = store;
    this.driver = driver;
    this.out = out;
    this.retries = retries;
  }

  @Override
  public void punctuate(long timestamp) {
    for (DueQueue.Due due : retries.takeDue(out.now())) {
      retry(due);
    }
  }

  // The queue may hold retries of runs since canceled or ended: the stored step decides.
  private void retry(DueQueue.Due due) {
    ActiveRun run = ActiveRun.load(store, due.runId());
    if (run == null) {
      return;
    }
    StepRecord step = run.step(due.stepKey());
    if (step.state() == StepState.UP_FOR_RETRY && step.attempt() == due.attempt()) {
      driver.issue(run, due.stepKey());
      driver.saveOrEnd(run);
    }
  }
}
