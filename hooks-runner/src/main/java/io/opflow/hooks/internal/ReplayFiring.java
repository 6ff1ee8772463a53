package io.opflow.hooks.internal;

import io.opflow.core.Definitions;
import io.opflow.core.ErrorInfo;
import io.opflow.core.HookContext;
import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpflowException;
import io.opflow.core.RetryPolicy;
import io.opflow.core.RunStatusContext;
import io.opflow.core.RunStatusSensor;
import io.opflow.core.execution.HookResult;
import io.opflow.core.execution.RunStatus;
import io.opflow.core.spi.HookExecution;
import io.opflow.core.spi.StepOutcome;
import io.opflow.events.HookEvent;
import io.opflow.events.RunEvent;
import io.opflow.events.StepEvent;
import io.opflow.hooks.HookReplay.Call;
import io.opflow.hooks.HookReplay.Outcome;
import io.opflow.hooks.internal.ReplayPlanner.Planned;
import io.opflow.runtime.spi.Acknowledgements;
import io.opflow.runtime.spi.EventPublisher;
import io.opflow.runtime.spi.Threads;
import io.opflow.runtime.spi.UnacknowledgedSendException;
import io.opflow.schemas.AvroEventSerde;
import io.opflow.schemas.EventHeaders;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.OpflowTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Fires chosen calls one after another: rebuilds what the hook sees from its step event, runs the
 * hook's tries through core's {@link HookExecution} under the call's generation, and writes each
 * try's hook event as the hooks-runner does (run id key, the step event's partition number, the
 * source offset header), waiting for the broker to acknowledge a call's events before the next.
 */
final class ReplayFiring implements AutoCloseable {
  private final EventPublisher publisher;
  private final TopicScan scan;
  private final OpflowTopics topics;
  private final boolean samePartitionCount;
  private final boolean runEventsSamePartitionCount;
  private final Definitions definitions;
  private final Duration timeout;
  private final ExecutorService hookThreads =
      Executors.newCachedThreadPool(Threads.daemon("opflow-replay-hook"));
  private final HookExecution execution = new HookExecution(hookThreads);
  private final RemoteOutcomes outcomes;
  private final Sensors sensors;
  private final RunCache runs;
  private final AvroEventSerde<HookEvent> hookSerde = OpflowSerdes.hookEvents();
  private final AvroEventSerde<StepEvent> stepSerde = OpflowSerdes.stepEvents();
  private int fired;

  ReplayFiring(
      Producer<byte[], byte[]> producer,
      TopicScan scan,
      OpflowTopics topics,
      boolean samePartitionCount,
      boolean runEventsSamePartitionCount,
      Definitions definitions,
      Function<String, String> environment,
      Duration timeout) {
    this.publisher = new EventPublisher(producer);
    this.scan = scan;
    this.topics = topics;
    this.samePartitionCount = samePartitionCount;
    this.runEventsSamePartitionCount = runEventsSamePartitionCount;
    this.definitions = definitions;
    this.timeout = timeout;
    this.outcomes = new RemoteOutcomes(environment);
    this.sensors = new Sensors(definitions.sensors());
    this.runs = new RunCache(environment, System::nanoTime);
  }

  /** Fires a call, or says why it cannot. */
  Call fire(Planned call) {
    if (call.problem() != null) {
      return notFired(call, call.gone() ? Outcome.SOURCE_GONE : Outcome.NOT_LOADED, null);
    }
    if (call.runSensor()) {
      return fireSensor(call);
    }
    StepEvent event = call.event() != null ? call.event() : read(call);
    if (event == null) {
      return notFired(
          call,
          Outcome.SOURCE_GONE,
          "its step event is no longer in "
              + topics.stepEvents()
              + " partition "
              + call.partition()
              + " at offset "
              + call.offset()
              + " (deleted by retention)");
    }
    JobDefinition job = definitions.job(event.getJobName());
    StepOutcome outcome;
    RunCache.Run run;
    try {
      run = runs.get(event, job);
      outcome = outcomes.of(event, job, job.node(event.getStepKey()).op(), run.config());
    } catch (RuntimeException e) {
      // Through ErrorInfo, which keeps resolved secrets out of messages.
      ErrorInfo error = ErrorInfo.from(e, false);
      return notFired(
          call,
          Outcome.CANNOT_FIRE,
          "what the hook sees cannot be built: " + error.type() + ": " + error.message());
    }
    return fire(call, event, outcome, run);
  }

  private Call fire(Planned call, StepEvent event, StepOutcome outcome, RunCache.Run run) {
    HookDefinition hook = call.hook();
    String newKey =
        HookContext.idempotencyKey(
            call.runId(), call.stepKey(), call.attempt(), hook.name(), call.generation());
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    HookExecution.Try last;
    int tryNumber = 0;
    do {
      tryNumber++;
      Instant start = Instant.now();
      last = execution.tryOnce(outcome, hook, run::resource, tryNumber, call.generation());
      Duration took = Duration.between(start, Instant.now());
      HookEvent hookEvent =
          hookEvent(event, hook, newKey, call.generation(), tryNumber, last, took);
      sent.add(send(call, hookEvent));
      if (!last.last()) {
        sleep(last.nextTryIn(), call);
      }
    } while (!last.last());
    awaitAcknowledged(sent, call, newKey);
    fired++;
    HookResult result = last.result();
    return new Call(
        call.key(),
        newKey,
        call.generation(),
        call.runId(),
        call.jobName(),
        call.stepKey(),
        call.attempt(),
        call.hookName(),
        switch (result.outcome()) {
          case COMPLETED -> Outcome.COMPLETED;
          case SKIPPED -> Outcome.SKIPPED;
          case ERRORED -> Outcome.ERRORED;
        },
        tryNumber,
        result.reason() != null
            ? result.reason()
            : result.error() == null
                ? null
                : result.error().type() + ": " + result.error().message());
  }

  /**
   * Fires a sensor call: runs the sensor for its run event through the sensor's retry policy,
   * waiting out the delays, and writes each try as the hooks-runner records a sensor call.
   */
  private Call fireSensor(Planned call) {
    RunEvent event = call.runEvent();
    RunStatusSensor sensor = call.sensor();
    RunStatus status = Sensors.statusOf(event);
    if (status == null || !sensor.appliesTo(event.getJobName(), status)) {
      return notFired(
          call,
          Outcome.CANNOT_FIRE,
          "sensor '"
              + sensor.name()
              + "' does not apply to run "
              + event.getRunId()
              + " of job '"
              + event.getJobName()
              + "'"
              + (status == null ? ", which has not ended" : " that ended " + status));
    }
    String newKey = newKey(call);
    RetryPolicy policy = sensor.retryPolicy();
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    Exception error;
    boolean again;
    int tryNumber = 0;
    do {
      tryNumber++;
      Instant start = Instant.now();
      error = sensors.invoke(sensor, event, status, call.generation());
      Duration took = Duration.between(start, Instant.now());
      Duration delay = error == null ? null : policy.delayAfterFailedTry(tryNumber, error);
      again = delay != null;
      StepHooks.SensorCall done =
          new StepHooks.SensorCall(
              event.getRunId(),
              sensor.name(),
              status,
              error,
              took,
              tryNumber,
              again ? Instant.now().plus(delay) : null);
      sent.add(send(call, StepHooks.sensorEvent(done, newKey, call.generation())));
      if (again) {
        sleep(delay, call);
      }
    } while (again);
    awaitAcknowledged(sent, call, newKey);
    fired++;
    String detail = null;
    if (error != null) {
      ErrorInfo info = ErrorInfo.from(error, false);
      detail = info.type() + ": " + info.message();
    }
    return new Call(
        call.key(),
        newKey,
        call.generation(),
        call.runId(),
        call.jobName(),
        "",
        0,
        call.hookName(),
        error == null ? Outcome.COMPLETED : Outcome.ERRORED,
        tryNumber,
        detail);
  }

  /** Returns the key a call fires under: its base key with {@code /g<generation>}. */
  static String newKey(Planned call) {
    if (call.runSensor()) {
      return RunStatusContext.idempotencyKey(call.runId(), call.hookName(), call.generation());
    }
    return HookContext.idempotencyKey(
        call.runId(), call.stepKey(), call.attempt(), call.hookName(), call.generation());
  }

  /** Returns a call that could not fire, or the listing of one in a dry run. */
  static Call notFired(Planned call, Outcome outcome, String detail) {
    boolean wouldFire = outcome == Outcome.WOULD_FIRE;
    return new Call(
        call.key(),
        wouldFire ? newKey(call) : null,
        call.generation(),
        call.runId(),
        call.jobName(),
        call.stepKey(),
        call.attempt(),
        call.hookName(),
        outcome,
        0,
        detail != null ? detail : call.problem());
  }

  private StepEvent read(Planned call) {
    ConsumerRecord<byte[], byte[]> record =
        scan.fetch(topics.stepEvents(), call.partition(), call.offset());
    return record == null || record.value() == null
        ? null
        : stepSerde.deserialize(record.topic(), record.value());
  }

  private Future<RecordMetadata> send(Planned call, HookEvent hookEvent) {
    RecordHeaders headers = new RecordHeaders();
    if (call.offset() >= 0) {
      EventHeaders.set(headers, EventHeaders.HOOK_SOURCE_OFFSET, Long.toString(call.offset()));
    }
    // As the hooks-runner writes: the step event's (a sensor call: the run event's) partition
    // number when the topics have the same partition count (the ledgers are rebuilt by
    // partition), else by key.
    boolean same = call.runSensor() ? runEventsSamePartitionCount : samePartitionCount;
    Integer partition =
        same && call.partition() != ReplayPlanner.NO_PARTITION ? call.partition() : null;
    return publisher.send(
        topics.hookEvents(), partition, call.runId(), hookEvent, hookSerde, headers);
  }

  private void awaitAcknowledged(List<Future<RecordMetadata>> sent, Planned call, String newKey) {
    for (Future<RecordMetadata> ack : sent) {
      try {
        Acknowledgements.await(ack, timeout, "the hook events of " + newKey);
      } catch (UnacknowledgedSendException e) {
        if (e.interrupted()) {
          throw new OpflowException(
              "interrupted while waiting for the hook events of " + newKey, e.getCause());
        }
        Throwable cause = e.getCause();
        throw new OpflowException(
            (call.runSensor() ? "sensor '" : "hook '")
                + call.hookName()
                + "' ran for "
                + newKey
                + " but its hook event could not be written to "
                + topics.hookEvents()
                + " ("
                + cause
                + "); "
                + fired
                + " call(s) fired before it are recorded. Replaying again fires it under the next"
                + " generation",
            cause);
      }
    }
  }

  private static void sleep(Duration delay, Planned call) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OpflowException("interrupted between two tries of " + call.key(), e);
    }
  }

  private static HookEvent hookEvent(
      StepEvent event,
      HookDefinition hook,
      String key,
      int generation,
      int tryNumber,
      HookExecution.Try done,
      Duration took) {
    Instant nextTryAt = done.last() ? null : Instant.now().plus(done.nextTryIn());
    return StepHooks.hookEvent(
        event, hook, key, done.result(), took, tryNumber, nextTryAt, generation);
  }

  @Override
  public void close() {
    runs.clear();
    hookThreads.shutdownNow();
  }
}
