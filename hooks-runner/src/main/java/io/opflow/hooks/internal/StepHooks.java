package io.opflow.hooks.internal;

import io.opflow.core.Definitions;
import io.opflow.core.HookContext;
import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.config.RunConfig;
import io.opflow.core.execution.HookResult;
import io.opflow.core.internal.HookExecution;
import io.opflow.core.internal.RunResources;
import io.opflow.core.internal.StepOutcome;
import io.opflow.events.HookCompleted;
import io.opflow.events.HookErrored;
import io.opflow.events.HookEvent;
import io.opflow.events.HookKind;
import io.opflow.events.HookSkipped;
import io.opflow.events.StepEvent;
import io.opflow.runtime.Errors;
import io.opflow.runtime.internal.EventPublisher;
import io.opflow.schemas.AvroEventSerde;
import io.opflow.schemas.EventHeaders;
import io.opflow.schemas.OpflowSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Fires the hooks of one terminal step event, in declared order, through core's {@link
 * HookExecution}, skipping those the ledger says already fired, and writes one hook event per hook
 * right after it ran. Resources are built from the run config and closed after the step's hooks.
 */
final class StepHooks {
  private final Definitions definitions;
  private final HookExecution execution;
  private final Outcomes outcomes;
  private final Function<String, String> environment;
  private final EventPublisher publisher;
  private final String hookEventsTopic;
  private final HooksMetrics metrics;
  private final AvroEventSerde<HookEvent> serde = OpflowSerdes.hookEvents();

  StepHooks(
      Definitions definitions,
      HookExecution execution,
      Function<String, String> environment,
      EventPublisher publisher,
      String hookEventsTopic,
      HooksMetrics metrics) {
    this.definitions = definitions;
    this.execution = execution;
    this.outcomes = new Outcomes(environment);
    this.environment = environment;
    this.publisher = publisher;
    this.hookEventsTopic = hookEventsTopic;
    this.metrics = metrics;
  }

  /**
   * Fires the hooks of a terminal event read at {@code offset}; hook events go to {@code partition}
   * (null: by key).
   *
   * @throws io.opflow.core.UnknownDefinitionException if the job or node is not loaded here
   */
  void fire(StepEvent event, long offset, Integer partition, HookLedger ledger) {
    JobDefinition job = definitions.job(event.getJobName());
    OpDefinition<?> op = job.node(event.getStepKey()).op();
    List<HookDefinition> hooks = job.hooksFor(event.getStepKey());
    if (hooks.isEmpty()) {
      return;
    }
    RunConfig config = Outcomes.runConfig(event, job);
    StepOutcome outcome = outcomes.of(event, job, op, config);
    try (RunResources resources =
        new RunResources(event.getRunId(), job.resources(), config, environment)) {
      for (HookDefinition hook : hooks) {
        fireOne(event, offset, partition, ledger, outcome, hook, resources);
      }
    }
  }

  private void fireOne(
      StepEvent event,
      long offset,
      Integer partition,
      HookLedger ledger,
      StepOutcome outcome,
      HookDefinition hook,
      RunResources resources) {
    String key =
        HookContext.idempotencyKey(
            event.getRunId(), event.getStepKey(), event.getAttempt(), hook.name());
    if (ledger.hasFired(key)) {
      return;
    }
    Instant start = Instant.now();
    metrics.dispatched(Duration.between(event.getTimestamp(), start));
    HookResult result = execution.runOne(outcome, hook, resources::get);
    HookEvent hookEvent =
        hookEvent(event, hook, key, result, Duration.between(start, Instant.now()));
    RecordHeaders headers = new RecordHeaders();
    EventHeaders.set(headers, HookEventsHeaders.SOURCE_OFFSET, Long.toString(offset));
    EventPublisher.await(
        publisher.send(hookEventsTopic, partition, event.getRunId(), hookEvent, serde, headers));
    String attempt =
        HookLedger.attemptKey(event.getRunId(), event.getStepKey(), event.getAttempt());
    ledger.recordFired(key, attempt, offset);
    metrics.hook(event.getJobName(), hook.name(), result.outcome().name().toLowerCase(Locale.ROOT));
  }

  private static HookEvent hookEvent(
      StepEvent event, HookDefinition hook, String key, HookResult result, Duration took) {
    Object payload =
        switch (result.outcome()) {
          case COMPLETED -> new HookCompleted(took.toMillis());
          case SKIPPED -> new HookSkipped(result.reason());
          case ERRORED -> new HookErrored(Errors.toAvro(result.error()));
        };
    return HookEvent.newBuilder()
        .setRunId(event.getRunId())
        .setStepKey(event.getStepKey())
        .setAttempt(event.getAttempt())
        .setHookName(hook.name())
        .setHookKind(HookKind.valueOf(hook.kind().name()))
        .setIdempotencyKey(key)
        .setTimestamp(Instant.now())
        .setPayload(payload)
        .build();
  }
}
