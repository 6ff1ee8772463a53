package io.opflow.coordinator.internal;

import io.opflow.core.spi.LogContext;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's one processor: has each record it reads turned into the coordinator's own type
 * ({@link CoordinatorInputs}), routes it to its command class, and schedules the lease and retry
 * punctuations by wall clock.
 */
final class CoordinatorProcessor
    implements Processor<String, SpecificRecord, String, SpecificRecord>, CoordinatorInput.Router {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorProcessor.class);

  private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

  private final TimeSettings timing;
  private final Limits limits;
  private final CoordinatorMetrics metrics;
  private final TaskPlacement placement;
  private final CoordinatorInputs inputs = new CoordinatorInputs();
  private RunRequestedCommand runRequested;
  private CancelCommand cancel;
  private StepEventCommand stepEvent;
  private ProcessorContext<String, SpecificRecord> context;
  private LeaseTable leases;
  private LeaseProbes probes;
  private StallWatch stallWatch;

  CoordinatorProcessor(
      TimeSettings timing, Limits limits, CoordinatorMetrics metrics, TaskPlacement placement) {
    this.timing = timing;
    this.limits = limits;
    this.metrics = metrics;
    this.placement = placement;
  }

  // Everything in memory is built here: Kafka Streams calls init again on the same instance when
  // it revives a task after an aborted transaction, and the stores are then restored anew.
  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    RunStore store = new RunStore(stores(context), new TasksInFlight(placement.partitions()));
    leases = new LeaseTable();
    probes = new LeaseProbes(slowProbeMillis(timing), timing.punctuateMillis() / 2);
    DueQueue retries = new DueQueue();
    DueQueue startDeadlines = new DueQueue();
    Outbox out = new ContextOutbox(context);
    RunDriver driver =
        new RunDriver(store, out, metrics, timing, limits, leases, startDeadlines, placement);
    runRequested = new RunRequestedCommand(store, driver, out, metrics, limits);
    cancel = new CancelCommand(store, driver, leases);
    stepEvent = new StepEventCommand(store, driver, out, metrics, leases, retries, placement);
    new TimerRestore(store, leases, retries, startDeadlines).restore(out.now(), timing);
    Duration interval = Duration.ofMillis(timing.punctuateMillis());
    context.schedule(
        interval,
        PunctuationType.WALL_CLOCK_TIME,
        new LeaseExpiryPunctuation(
            store, out, leases, probes, placement, driver, timing.leaseMillis()));
    context.schedule(
        interval,
        PunctuationType.WALL_CLOCK_TIME,
        new RetryPunctuation(store, driver, out, retries));
    context.schedule(
        interval,
        PunctuationType.WALL_CLOCK_TIME,
        new StartDeadlinePunctuation(store, out, startDeadlines, probes, timing));
    stallWatch =
        new StallWatch(
            out, leases, startDeadlines, metrics, slowProbeMillis(timing), timing.leaseMillis());
    context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, stallWatch);
    context.schedule(
        PURGE_INTERVAL,
        PunctuationType.WALL_CLOCK_TIME,
        now -> store.purgeFinishedBefore(out.now() - timing.finishedRetentionMillis()));
  }

  private static RunStore.Stores stores(ProcessorContext<String, SpecificRecord> context) {
    return new RunStore.Stores(
        context.getStateStore(CoordinatorTopology.PLANS_STORE),
        context.getStateStore(CoordinatorTopology.SUMMARIES_STORE),
        context.getStateStore(CoordinatorTopology.STEPS_STORE),
        context.getStateStore(CoordinatorTopology.OUTPUTS_STORE),
        context.getStateStore(CoordinatorTopology.FINISHED_RUNS_STORE),
        context.getStateStore(CoordinatorTopology.FINISHED_INDEX_STORE));
  }

  /**
   * A probe read back later than this reveals a stall: a quarter of the lease, so that a stall long
   * enough to hold up a live worker's heartbeats past its lease end is always seen first (probes go
   * out from half a lease on, every punctuation), and no less than two punctuation intervals.
   */
  static long slowProbeMillis(TimeSettings timing) {
    return Math.max(timing.leaseMillis() / 4, 2 * timing.punctuateMillis());
  }

  @Override
  public void process(Record<String, SpecificRecord> record) {
    inputs.read(record.key(), record.value(), record.headers()).routeTo(this);
  }

  @Override
  public void onStepEvent(StepInput event) {
    try (LogContext ignored = LogContext.forStep(event.runId(), event.stepKey(), event.opName())) {
      stepEvent.handle(event);
    }
  }

  @Override
  public void onRunRequested(CoordinatorInput.RunRequest request) {
    try (LogContext ignored = LogContext.forRun(String.valueOf(request.key()))) {
      runRequested.handle(request);
    }
  }

  @Override
  public void onCancelRequested(CoordinatorInput.CancelRequest request) {
    try (LogContext ignored = LogContext.forRun(String.valueOf(request.key()))) {
      cancel.handle(request);
    }
  }

  @Override
  public void onLeaseProbe(CoordinatorInput.LeaseProbe probe) {
    long now = context.currentSystemTimeMs();
    if (probes.read(probe.probe(), now) == LeaseProbes.Reading.SLOW) {
      int extended = stallWatch.afterStall(now);
      if (extended > 0) {
        LOG.info(
            "Task {}: a lease probe came back late ({}); the partition or this coordinator was"
                + " stalled, so {} running steps get a fresh lease from now",
            context.taskId(),
            probe.probe(),
            extended);
      }
    }
  }
}
