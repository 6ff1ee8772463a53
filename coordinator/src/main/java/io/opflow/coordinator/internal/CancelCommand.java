package io.opflow.coordinator.internal;

import io.opflow.core.plan.RunProgress;
import io.opflow.events.RunCancelRequested;
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

  CancelCommand(RunStore store, RunDriver driver) {
    this.store = store;
    this.driver = driver;
  }

  void handle(RunCancelRequested request) {
    String runId = request.getRunId();
    RunState run = store.active(runId);
    if (run == null) {
      logMissing(runId);
      return;
    }
    RunProgress progress = run.progress();
    List<String> canceledNow = progress.cancel();
    canceledNow.forEach(step -> driver.publishSkip(run, progress, step, REASON));
    List<String> inFlight = progress.cancelInFlight();
    run.clearAllTimers();
    run.cancelReason(request.getReason());
    LOG.info("Run {} canceled ({}); steps in flight: {}", runId, request.getReason(), inFlight);
    driver.saveOrEnd(run, progress);
  }

  private void logMissing(String runId) {
    if (store.finished(runId) != null) {
      LOG.info("Cancel of run {} ignored: the run has already ended", runId);
    } else {
      LOG.warn("Cancel of unknown run {} ignored", runId);
    }
  }
}
