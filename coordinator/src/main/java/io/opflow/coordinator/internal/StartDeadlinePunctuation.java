package io.opflow.coordinator.internal;

import io.opflow.core.ErrorInfo;
import io.opflow.core.lifecycle.StepState;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.Punctuator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the attempts of queued steps that no worker started within the start timeout, so nothing
 * waits forever: a task a worker could not decode, a worker group that is down for longer than the
 * topic's retention, or a worker that holds a task and died before starting it. The verdict ({@code
 * StepNotStarted}) is retried like a lost worker when the step's retry policy allows it.
 */
final class StartDeadlinePunctuation implements Punctuator {
  private static final Logger LOG = LoggerFactory.getLogger(StartDeadlinePunctuation.class);

  private final RunStore store;
  private final Outbox out;
  private final DueQueue deadlines;
  private final LeaseProbes probes;
  private final long startTimeoutMillis;

  StartDeadlinePunctuation(
      RunStore store, Outbox out, DueQueue deadlines, LeaseProbes probes, TimeSettings timing) {
    this.store = store;
    this.out = out;
    this.deadlines = deadlines;
    this.probes = probes;
    this.startTimeoutMillis = timing.startTimeoutMillis();
  }

  @Override
  public void punctuate(long timestamp) {
    long now = out.now();
    List<DueQueue.Due> notYet = new ArrayList<>();
    for (DueQueue.Due due : deadlines.takeDue(now)) {
      // A StepStarted written before the deadline may still be waiting in the input.
      if (!probes.hasReadPast(due.dueAt())) {
        notYet.add(due);
      } else {
        judge(due, now);
      }
    }
    notYet.forEach(deadlines::add);
    if (!notYet.isEmpty()) {
      probes.send(out, notYet.get(0).runId());
    }
  }

  private void judge(DueQueue.Due due, long now) {
    PlanIndex plan = store.plan(due.runId());
    if (plan == null) {
      return;
    }
    StepRecord step = store.step(due.runId(), due.stepKey());
    if (step.state() != StepState.QUEUED || step.attempt() != due.attempt()) {
      return;
    }
    String message =
        "no worker started step '"
            + due.stepKey()
            + "' attempt "
            + due.attempt()
            + " within "
            + startTimeoutMillis
            + " ms of its task being issued ("
            + "opflow.start.timeout.ms); check that workers are running, consume the step-tasks"
            + " topic, and have the job's code (see the dead-letter topic for tasks they could"
            + " not read)";
    LOG.warn("Run {}: {}", due.runId(), message);
    out.stepEvent(
        Verdicts.attemptLost(
            plan, due.stepKey(), due.attempt(), ErrorInfo.STEP_NOT_STARTED, message, 0, now));
  }
}
