package io.opflow.coordinator.internal;

import io.opflow.core.lifecycle.StepState;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles a cancel request: steps not yet running are skipped with reason {@value #REASON}, steps
 * in flight are canceled (their late results are then stale), and the run ends with {@code
 * RunCanceled}.
 */
final class CancelCommand {
  static final String REASON = "run canceled";
  private static final Logger LOG = LoggerFactory.getLogger(CancelCommand.class);

  private final RunStore store;
  private final RunDriver driver;
  private final LeaseTable leases;

  CancelCommand(RunStore store, RunDriver driver, LeaseTable leases) {
    this.store = store;
    this.driver = driver;
    this.leases = leases;
  }

  void handle(CoordinatorInput.CancelRequest request) {
    String runId = request.runId();
    ActiveRun run = ActiveRun.load(store, runId);
    if (run == null) {
      logMissing(runId);
      return;
    }
    run.summary().cancel(request.reason());
    run.summaryChanged();
    List<String> inFlight = new ArrayList<>();
    for (String stepKey : run.plan().stepKeys()) {
      cancel(run, stepKey, inFlight);
    }
    LOG.info("Run {} canceled ({}); steps in flight: {}", runId, request.reason(), inFlight);
    driver.saveOrEnd(run);
  }

  private void cancel(ActiveRun run, String stepKey, List<String> inFlight) {
    StepRecord step = run.step(stepKey);
    StepState state = step.state();
    if (state == StepState.PENDING || state == StepState.UP_FOR_RETRY) {
      driver.skip(run, stepKey, REASON, StepState.CANCELED);
    } else if (state == StepState.QUEUED || state == StepState.RUNNING) {
      run.update(stepKey, step.moveTo(StepState.CANCELED));
      leases.remove(run.runId(), stepKey);
      inFlight.add(stepKey);
    }
  }

  private void logMissing(String runId) {
    if (store.finished(runId) != null) {
      LOG.info("Cancel of run {} ignored: the run has already ended", runId);
    } else {
      LOG.warn("Cancel of unknown run {} ignored", runId);
    }
  }
}
