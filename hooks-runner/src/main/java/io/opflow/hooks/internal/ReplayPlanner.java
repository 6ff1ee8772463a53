package io.opflow.hooks.internal;

import io.opflow.core.Definitions;
import io.opflow.core.HookContext;
import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.RunStatusContext;
import io.opflow.core.RunStatusSensor;
import io.opflow.core.UnknownDefinitionException;
import io.opflow.core.execution.RunStatus;
import io.opflow.events.HookEvent;
import io.opflow.events.RunEvent;
import io.opflow.events.StepEvent;
import io.opflow.hooks.HookReplay.Calls;
import io.opflow.schemas.AvroEventSerde;
import io.opflow.schemas.EventHeaders;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.OpflowTopics;
import io.opflow.schemas.StepEventKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Reads the topics a replay needs and decides its calls. The step event of a call is the first
 * event of its attempt that ends the attempt ({@link StepEventKind}), as for the hooks-runner. A
 * run status sensor's call (a hook event marked {@code runSensor}) is found by its run event: the
 * terminal event of its run in {@code run-events} at the offset its hook event names.
 */
final class ReplayPlanner {
  /** Partition of a call whose step event is not known. */
  static final int NO_PARTITION = -1;

  /** The first event of a step attempt that ended it, by position; the event itself is re-read. */
  record StepRef(
      int partition,
      long offset,
      String runId,
      String jobName,
      String stepKey,
      int attempt,
      StepEventKind kind,
      Instant timestamp) {}

  /**
   * A chosen call.
   *
   * @param key the base idempotency key
   * @param generation the generation it fires under
   * @param hook the hook to run, or null when it cannot fire ({@code problem} says why)
   * @param event the step event when already at hand (from a dead letter), else null: re-read it
   * @param partition the step event's step-events partition, or {@link #NO_PARTITION}
   * @param offset the step event's offset, or -1
   * @param problem why the call cannot fire, or null
   * @param gone whether it cannot fire because its step event (or run event) is gone
   * @param runSensor whether it is a run status sensor's call: no step, attempt 0, {@code
   *     partition} and {@code offset} are the run event's in {@code run-events}
   * @param sensor the sensor to run, or null (a hook's call, or {@code problem} says why)
   * @param runEvent a sensor call's run event, or null when it is gone or for a hook's call
   */
  record Planned(
      String key,
      int generation,
      String runId,
      String jobName,
      String stepKey,
      int attempt,
      String hookName,
      HookDefinition hook,
      StepEvent event,
      int partition,
      long offset,
      String problem,
      boolean gone,
      boolean runSensor,
      RunStatusSensor sensor,
      RunEvent runEvent) {}

  /** Where a sensor call's first hook event was written, and the run event offset it names. */
  private record SensorSource(int hookPartition, long runEventOffset) {}

  /** The terminal event of a run in run-events, and where. */
  private record RunRef(int partition, long offset, RunEvent event) {}

  private final TopicScan scan;
  private final OpflowTopics topics;
  private final Definitions definitions;
  private final ReplaySelection selection;
  private final AvroEventSerde<HookEvent> hookSerde = OpflowSerdes.hookEvents();
  private final AvroEventSerde<StepEvent> stepSerde = OpflowSerdes.stepEvents();
  private final AvroEventSerde<RunEvent> runSerde = OpflowSerdes.runEvents();
  private final List<String> notes = new ArrayList<>();
  private final Map<String, CallHistory> sensorHistories = new LinkedHashMap<>();
  private final Map<String, SensorSource> sensorSources = new HashMap<>();

  ReplayPlanner(
      TopicScan scan, OpflowTopics topics, Definitions definitions, ReplaySelection selection) {
    this.scan = scan;
    this.topics = topics;
    this.definitions = definitions;
    this.selection = selection;
  }

  /** Returns what was left out and why, for people; filled by {@link #plan}. */
  List<String> notes() {
    return notes;
  }

  /** Reads the topics and returns the chosen calls, in step-events order. */
  List<Planned> plan(Calls calls) {
    Map<String, CallHistory> histories = readHookEvents();
    List<Planned> planned =
        switch (calls) {
          case ERRORED, ALL -> {
            List<Planned> all = new ArrayList<>(replay(calls, histories));
            all.addAll(replaySensors(calls));
            yield all;
          }
          case DEAD_LETTERED -> deadLettered(histories);
          case MISSING -> missing(histories);
        };
    List<Planned> ordered = new ArrayList<>(planned);
    // Stable: the hooks of one step event stay in the order chosen. Calls with no step event last,
    // then the sensor calls, in run-events order.
    ordered.sort(
        Comparator.comparingInt((Planned p) -> p.runSensor() ? 1 : 0)
            .thenComparingInt((Planned p) -> p.partition() == NO_PARTITION ? 1 : 0)
            .thenComparingInt(Planned::partition)
            .thenComparingLong(Planned::offset));
    return ordered;
  }

  private Map<String, CallHistory> readHookEvents() {
    Map<String, CallHistory> histories = new LinkedHashMap<>();
    int[] undecodable = {0};
    scan.read(
        topics.hookEvents(),
        r -> {
          if (r.value() == null || !runMayMatch(r.headers())) {
            return;
          }
          HookEvent event;
          try {
            event = hookSerde.deserialize(r.topic(), r.value());
          } catch (RuntimeException e) {
            undecodable[0]++;
            return;
          }
          if (!selection.run(event.getRunId()) || !selection.hook(event.getHookName())) {
            return;
          }
          if (isSensorCall(event)) {
            String key = CallHistory.baseKey(event);
            CallHistory history = sensorHistories.get(key);
            if (history == null) {
              sensorHistories.put(key, CallHistory.of(event));
              sensorSources.put(
                  key,
                  new SensorSource(
                      r.partition(), longHeader(r.headers(), EventHeaders.HOOK_SOURCE_OFFSET, -1)));
            } else {
              history.add(event);
            }
          } else {
            String key = CallHistory.baseKey(event);
            CallHistory history = histories.get(key);
            if (history == null) {
              histories.put(key, CallHistory.of(event));
            } else {
              history.add(event);
            }
          }
        });
    noteUndecodable(undecodable[0], topics.hookEvents());
    return histories;
  }

  // Errored or every call with a hook event: the step event is found by its attempt.
  private List<Planned> replay(Calls calls, Map<String, CallHistory> histories) {
    List<CallHistory> chosen = histories.values().stream().filter(h -> chosen(calls, h)).toList();
    if (chosen.isEmpty()) {
      return List.of();
    }
    Set<String> attempts = chosen.stream().map(CallHistory::attemptKey).collect(Collectors.toSet());
    Map<String, StepRef> steps = readStepEvents(attempts::contains);
    List<Planned> planned = new ArrayList<>();
    int unknownJob = 0;
    for (CallHistory h : chosen) {
      StepRef ref = steps.get(h.attemptKey());
      int generation = nextGeneration(h);
      if (ref != null) {
        if (selection.job(ref.jobName()) && selection.time(ref.timestamp())) {
          planned.add(fromStep(ref, h.hookName(), generation));
        }
      } else if (selection.job() != null) {
        unknownJob++;
      } else if (selection.time(h.firstSeen())) {
        planned.add(gone(h, generation));
      }
    }
    if (unknownJob > 0) {
      notes.add(
          unknownJob
              + " call(s) left out: their step events are gone from "
              + topics.stepEvents()
              + " (retention), so their job is unknown; run without --job to list them");
    }
    return planned;
  }

  private static boolean chosen(Calls calls, CallHistory history) {
    return calls == Calls.ERRORED
        ? history.latest() == CallHistory.State.ERRORED
        : history.latest() != CallHistory.State.SKIPPED;
  }

  // Errored or every sensor call with a hook event: the run event is found by its run and offset.
  private List<Planned> replaySensors(Calls calls) {
    List<Map.Entry<String, CallHistory>> chosen =
        sensorHistories.entrySet().stream().filter(e -> chosen(calls, e.getValue())).toList();
    if (chosen.isEmpty()) {
      return List.of();
    }
    Set<String> runs = chosen.stream().map(e -> e.getValue().runId()).collect(Collectors.toSet());
    Map<String, List<RunRef>> runEvents = readRunEvents(runs::contains);
    List<Planned> planned = new ArrayList<>();
    int unknownJob = 0;
    for (Map.Entry<String, CallHistory> e : chosen) {
      CallHistory h = e.getValue();
      RunRef ref =
          runEvent(runEvents.get(h.runId()), sensorSources.get(e.getKey()).runEventOffset());
      int generation = nextGeneration(h);
      if (ref != null) {
        RunEvent event = ref.event();
        if (selection.job(event.getJobName()) && selection.time(event.getTimestamp())) {
          planned.add(
              sensorCall(
                  e.getKey(), event, h.hookName(), generation, ref.partition(), ref.offset()));
        }
      } else if (selection.job() != null) {
        unknownJob++;
      } else if (selection.time(h.firstSeen())) {
        planned.add(sensorGone(e.getKey(), h, generation));
      }
    }
    if (unknownJob > 0) {
      notes.add(
          unknownJob
              + " sensor call(s) left out: their run events are gone from "
              + topics.runEvents()
              + " (retention), so their job is unknown; run without --job to list them");
    }
    return planned;
  }

  // The run event a sensor call fired for: the terminal event of its run at the offset its hook
  // event names (a run's events share a partition), or its first terminal event when none is named.
  private static RunRef runEvent(List<RunRef> terminal, long offset) {
    if (terminal == null) {
      return null;
    }
    if (offset < 0) {
      return terminal.get(0);
    }
    return terminal.stream().filter(t -> t.offset() == offset).findFirst().orElse(null);
  }

  /** Reads run-events: the terminal events of the runs {@code wanted} accepts, in order. */
  private Map<String, List<RunRef>> readRunEvents(Predicate<String> wanted) {
    Map<String, List<RunRef>> runs = new HashMap<>();
    int[] undecodable = {0};
    scan.read(
        topics.runEvents(),
        r -> {
          if (r.value() == null || !runMayMatch(r.headers())) {
            return;
          }
          RunEvent event;
          RunStatus status;
          try {
            event = runSerde.deserialize(r.topic(), r.value());
            status = Sensors.statusOf(event);
          } catch (RuntimeException e) {
            undecodable[0]++;
            return;
          }
          if (status != null && selection.run(event.getRunId()) && wanted.test(event.getRunId())) {
            runs.computeIfAbsent(event.getRunId(), k -> new ArrayList<>())
                .add(new RunRef(r.partition(), r.offset(), event));
          }
        });
    noteUndecodable(undecodable[0], topics.runEvents());
    return runs;
  }

  // A sensor call the hooks-runner dead-lettered: the dead letter is the run event, as read.
  private void sensorDeadLetter(
      ConsumerRecord<byte[], byte[]> r,
      String sensorName,
      Map<String, Planned> planned,
      int[] undecodable,
      int[] done) {
    RunEvent event;
    try {
      event = runSerde.deserialize(topics.runEvents(), r.value());
    } catch (RuntimeException e) {
      undecodable[0]++;
      return;
    }
    if (!selection.run(event.getRunId())
        || !selection.job(event.getJobName())
        || !selection.time(event.getTimestamp())) {
      return;
    }
    String key = RunStatusContext.idempotencyKey(event.getRunId(), sensorName);
    if (planned.containsKey(key)) {
      return;
    }
    CallHistory history = sensorHistories.get(key);
    if (history != null && history.latest() == CallHistory.State.COMPLETED) {
      done[0]++;
      return;
    }
    planned.put(
        key,
        sensorCall(
            key,
            event,
            sensorName,
            nextGeneration(history),
            (int) longHeader(r.headers(), EventHeaders.DLQ_SOURCE_PARTITION, NO_PARTITION),
            longHeader(r.headers(), EventHeaders.DLQ_SOURCE_OFFSET, -1L)));
  }

  // Calls the hooks-runner dead-lettered: the dead letter is the step event, as read.
  private List<Planned> deadLettered(Map<String, CallHistory> histories) {
    Map<String, Planned> planned = new LinkedHashMap<>();
    int[] undecodable = {0};
    int[] done = {0};
    int[] otherSource = {0};
    scan.read(
        topics.deadLetter(),
        r -> {
          Optional<String> hookName =
              EventHeaders.lastValue(r.headers(), EventHeaders.DLQ_HOOK_NAME);
          if (hookName.isEmpty() || !selection.hook(hookName.get())) {
            return; // an undecodable record, not a hook call; or another hook
          }
          Optional<String> source =
              EventHeaders.lastValue(r.headers(), EventHeaders.DLQ_SOURCE_TOPIC);
          if (source.map(topics.runEvents()::equals).orElse(false)) {
            // A run status sensor's call, with its run event.
            sensorDeadLetter(r, hookName.get(), planned, undecodable, done);
            return;
          }
          if (!source.map(topics.stepEvents()::equals).orElse(true)) {
            otherSource[0]++;
            return;
          }
          StepEvent event;
          try {
            event = stepSerde.deserialize(topics.stepEvents(), r.value());
          } catch (RuntimeException e) {
            undecodable[0]++;
            return;
          }
          if (!selection.run(event.getRunId())
              || !selection.job(event.getJobName())
              || !selection.time(event.getTimestamp())) {
            return;
          }
          String key =
              HookContext.idempotencyKey(
                  event.getRunId(), event.getStepKey(), event.getAttempt(), hookName.get());
          if (planned.containsKey(key)) {
            return;
          }
          CallHistory history = histories.get(key);
          if (history != null && history.latest() == CallHistory.State.COMPLETED) {
            done[0]++;
            return;
          }
          planned.put(key, fromDeadLetter(r, event, hookName.get(), nextGeneration(history)));
        });
    noteUndecodable(undecodable[0], topics.deadLetter());
    if (otherSource[0] > 0) {
      notes.add(
          otherSource[0]
              + " dead-lettered call(s) left out: read from neither "
              + topics.stepEvents()
              + " nor "
              + topics.runEvents());
    }
    if (done[0] > 0) {
      notes.add(
          done[0]
              + " dead-lettered call(s) left out: a later generation completed; use --only all"
              + " to fire them anyway");
    }
    return new ArrayList<>(planned.values());
  }

  // Backfill: hooks that apply to a step event of the selection and have no hook event at all.
  private List<Planned> missing(Map<String, CallHistory> histories) {
    Map<String, StepRef> steps = readStepEvents(attempt -> true);
    List<Planned> planned = new ArrayList<>();
    Set<String> jobsNotLoaded = new TreeSet<>();
    Set<String> stepsNotLoaded = new TreeSet<>();
    for (StepRef ref : steps.values()) {
      if (!selection.time(ref.timestamp()) || ref.kind() == StepEventKind.SKIPPED) {
        continue;
      }
      JobDefinition job = definitions.jobs().get(ref.jobName());
      if (job == null) {
        jobsNotLoaded.add(ref.jobName());
        continue;
      }
      List<HookDefinition> hooks;
      try {
        hooks = job.hooksFor(ref.stepKey());
      } catch (UnknownDefinitionException e) {
        stepsNotLoaded.add(ref.jobName() + "." + ref.stepKey());
        continue;
      }
      for (HookDefinition hook : hooks) {
        String key =
            HookContext.idempotencyKey(ref.runId(), ref.stepKey(), ref.attempt(), hook.name());
        if (selection.hook(hook.name())
            && appliesTo(hook, ref.kind())
            && !histories.containsKey(key)) {
          planned.add(fromStep(ref, hook.name(), nextGeneration(null)));
        }
      }
    }
    if (!jobsNotLoaded.isEmpty()) {
      notes.add(
          "step events of jobs not loaded were left out: " + String.join(", ", jobsNotLoaded));
    }
    if (!stepsNotLoaded.isEmpty()) {
      notes.add(
          "step events of steps the loaded jobs do not have were left out: "
              + String.join(", ", stepsNotLoaded));
    }
    return planned;
  }

  private static boolean appliesTo(HookDefinition hook, StepEventKind kind) {
    return switch (kind) {
      case SUCCEEDED -> hook.appliesTo(true);
      case FAILED -> hook.appliesTo(false);
      case UP_FOR_RETRY -> hook.firesForRetry();
      default -> false;
    };
  }

  /**
   * Reads step-events: for each attempt of the selected runs and job that {@code wanted} accepts,
   * the first event that ended it. Later events of an ended attempt are stale and left out.
   */
  private Map<String, StepRef> readStepEvents(Predicate<String> wanted) {
    Map<String, StepRef> steps = new HashMap<>();
    int[] undecodable = {0};
    scan.read(
        topics.stepEvents(),
        r -> {
          if (r.value() == null
              || EventHeaders.isLeaseProbe(r.headers())
              || !runMayMatch(r.headers())
              || !mayEndAttempt(r.headers())) {
            return;
          }
          StepEvent event;
          StepEventKind kind;
          try {
            event = stepSerde.deserialize(r.topic(), r.value());
            kind = StepEventKind.of(event);
          } catch (RuntimeException e) {
            undecodable[0]++;
            return;
          }
          String attempt =
              HookLedger.attemptKey(event.getRunId(), event.getStepKey(), event.getAttempt());
          if (kind.endsAttempt()
              && selection.run(event.getRunId())
              && selection.job(event.getJobName())
              && wanted.test(attempt)
              && !steps.containsKey(attempt)) {
            steps.put(attempt, ref(r, event, kind));
          }
        });
    noteUndecodable(undecodable[0], topics.stepEvents());
    return steps;
  }

  private static StepRef ref(
      ConsumerRecord<byte[], byte[]> r, StepEvent event, StepEventKind kind) {
    return new StepRef(
        r.partition(),
        r.offset(),
        event.getRunId(),
        event.getJobName(),
        event.getStepKey(),
        event.getAttempt(),
        kind,
        event.getTimestamp());
  }

  // A run status sensor's call: recorded as a hook event with no step (an empty step key and
  // attempt 0, key runId/sensor/<name>), marked by the schema's runSensor flag.
  private static boolean isSensorCall(HookEvent event) {
    return event.getRunSensor();
  }

  private boolean runMayMatch(Headers headers) {
    return EventHeaders.runId(headers).map(selection::run).orElse(true);
  }

  // Decided on the header when there is one naming a kind; anything else is decoded.
  private static boolean mayEndAttempt(Headers headers) {
    return EventHeaders.eventType(headers)
        .flatMap(StepEventKind::ofEventType)
        .map(StepEventKind::endsAttempt)
        .orElse(true);
  }

  private Planned fromStep(StepRef ref, String hookName, int generation) {
    String key = HookContext.idempotencyKey(ref.runId(), ref.stepKey(), ref.attempt(), hookName);
    Resolved hook = resolve(ref.jobName(), ref.stepKey(), hookName);
    return new Planned(
        key,
        generation,
        ref.runId(),
        ref.jobName(),
        ref.stepKey(),
        ref.attempt(),
        hookName,
        hook.hook(),
        null,
        ref.partition(),
        ref.offset(),
        hook.problem(),
        false,
        false,
        null,
        null);
  }

  private Planned fromDeadLetter(
      ConsumerRecord<byte[], byte[]> r, StepEvent event, String hookName, int generation) {
    String key =
        HookContext.idempotencyKey(
            event.getRunId(), event.getStepKey(), event.getAttempt(), hookName);
    Resolved hook = resolve(event.getJobName(), event.getStepKey(), hookName);
    return new Planned(
        key,
        generation,
        event.getRunId(),
        event.getJobName(),
        event.getStepKey(),
        event.getAttempt(),
        hookName,
        hook.hook(),
        event,
        (int) longHeader(r.headers(), EventHeaders.DLQ_SOURCE_PARTITION, NO_PARTITION),
        longHeader(r.headers(), EventHeaders.DLQ_SOURCE_OFFSET, -1L),
        hook.problem(),
        false,
        false,
        null,
        null);
  }

  private Planned gone(CallHistory h, int generation) {
    String key = HookContext.idempotencyKey(h.runId(), h.stepKey(), h.attempt(), h.hookName());
    return new Planned(
        key,
        generation,
        h.runId(),
        null,
        h.stepKey(),
        h.attempt(),
        h.hookName(),
        null,
        null,
        NO_PARTITION,
        -1,
        "its step event is no longer in " + topics.stepEvents() + " (deleted by retention)",
        true,
        false,
        null,
        null);
  }

  // A sensor call whose run event is at hand: it fires when the sensor is loaded.
  private Planned sensorCall(
      String key, RunEvent event, String sensorName, int generation, int partition, long offset) {
    RunStatusSensor sensor =
        definitions.sensors().stream()
            .filter(s -> s.name().equals(sensorName))
            .findFirst()
            .orElse(null);
    return new Planned(
        key,
        generation,
        event.getRunId(),
        event.getJobName(),
        "",
        0,
        sensorName,
        null,
        null,
        partition,
        offset,
        sensor == null ? "sensor '" + sensorName + "' is not in the loaded definitions" : null,
        false,
        true,
        sensor,
        event);
  }

  private Planned sensorGone(String key, CallHistory h, int generation) {
    return new Planned(
        key,
        generation,
        h.runId(),
        null,
        "",
        0,
        h.hookName(),
        null,
        null,
        NO_PARTITION,
        -1,
        "its run event is no longer in " + topics.runEvents() + " (deleted by retention)",
        true,
        true,
        null,
        null);
  }

  private record Resolved(HookDefinition hook, String problem) {}

  private Resolved resolve(String jobName, String stepKey, String hookName) {
    JobDefinition job = definitions.jobs().get(jobName);
    if (job == null) {
      return new Resolved(null, "job '" + jobName + "' is not in the loaded definitions");
    }
    try {
      for (HookDefinition hook : job.hooksFor(stepKey)) {
        if (hook.name().equals(hookName)) {
          return new Resolved(hook, null);
        }
      }
    } catch (UnknownDefinitionException e) {
      return new Resolved(null, e.getMessage());
    }
    return new Resolved(
        null, "step '" + stepKey + "' of job '" + jobName + "' has no hook '" + hookName + "'");
  }

  private static int nextGeneration(CallHistory history) {
    return Math.max(2, (history == null ? 0 : history.highestGeneration()) + 1);
  }

  private static long longHeader(Headers headers, String name, long absent) {
    try {
      return EventHeaders.lastValue(headers, name).map(Long::parseLong).orElse(absent);
    } catch (NumberFormatException e) {
      return absent;
    }
  }

  private void noteUndecodable(int count, String topic) {
    if (count > 0) {
      notes.add(count + " record(s) of " + topic + " could not be decoded and were left out");
    }
  }
}
