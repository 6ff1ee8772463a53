package io.opflow.hooks.internal;

import io.opflow.core.JobDefinition;
import io.opflow.core.NextAttempt;
import io.opflow.core.OpDefinition;
import io.opflow.core.config.RunConfig;
import io.opflow.core.internal.StepOutcome;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepUpForRetry;
import java.util.Map;

/**
 * The step outcome a replayed hook sees, as the hooks-runner would build it: {@link Outcomes} for a
 * step that ended, and for an attempt put up for retry the same failure plus the attempt it was put
 * up for (what retry hooks see).
 */
final class ReplayOutcomes {
  private final Outcomes outcomes;

  ReplayOutcomes(Outcomes outcomes) {
    this.outcomes = outcomes;
  }

  StepOutcome of(StepEvent event, JobDefinition job, OpDefinition<?> op, RunConfig config) {
    if (!(event.getPayload() instanceof StepUpForRetry retry)) {
      return outcomes.of(event, job, op, config);
    }
    // An up-for-retry carries the error but no outputs or duration: read as a failure of the
    // attempt, then marked with the next attempt, as core's in-process executor does.
    StepEvent failedAttempt =
        StepEvent.newBuilder(event)
            .setPayload(new StepFailed(retry.getError(), 0L, Map.of()))
            .build();
    StepOutcome failed = outcomes.of(failedAttempt, job, op, config);
    return new StepOutcome(
        failed.identity(),
        failed.op(),
        failed.opConfig(),
        failed.status(),
        failed.exception(),
        failed.error(),
        failed.outputs(),
        failed.reason(),
        new NextAttempt(retry.getNextAttempt(), retry.getRetryAt()));
  }
}
