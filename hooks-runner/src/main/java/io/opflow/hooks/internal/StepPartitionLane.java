package io.opflow.hooks.internal;

import io.opflow.core.Definitions;
import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.spi.StepOutcome;
import io.opflow.events.StepEvent;
import io.opflow.hooks.internal.LedgerLoader.PartitionLedger;
import io.opflow.runtime.DeadLetters;
import io.opflow.schemas.AvroEventSerde;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.StepEventKind;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler of one owned step-events partition's lane: decodes a step event, and for the first
 * terminal event of each step attempt fires the step's hooks. It waits for the partition's ledger
 * (rebuilt from {@code hook-events} off the poll thread) before its first record.
 */
final class StepPartitionLane implements PartitionLaneHandler {
  private static final Logger LOG = LoggerFactory.getLogger(StepPartitionLane.class);

  /** What every step lane shares. */
  record Shared(
      Definitions definitions,
      HookSelector selector,
      StepHooks hooks,
      RemoteOutcomes outcomes,
      DeadLetters deadLetters,
      LaterTries laterTries) {}

  private final Shared shared;
  private final CompletableFuture<PartitionLedger> ledger;
  private final RunCache runs;
  private final AvroEventSerde<StepEvent> serde = OpflowSerdes.stepEvents();

  StepPartitionLane(Shared shared, CompletableFuture<PartitionLedger> ledger, RunCache runs) {
    this.shared = shared;
    this.ledger = ledger;
    this.runs = runs;
  }

  @Override
  public void handle(ConsumerRecord<byte[], byte[]> record, PartitionLane lane) {
    PartitionLedger owned = LedgerLoader.await(ledger, lane);
    if (owned == null) {
      lane.abandon(record); // the partition went before its ledger was read
      return;
    }
    RecordAcks acks = new RecordAcks(lane, record);
    try {
      handle(record, lane, owned, acks);
    } catch (RuntimeException e) {
      // Undecodable, or naming a job or node not loaded here: dead-letter it and move on.
      shared.deadLetters().send(record, e, acks.expect());
    }
    acks.release();
  }

  private void handle(
      ConsumerRecord<byte[], byte[]> record,
      PartitionLane lane,
      PartitionLedger owned,
      RecordAcks acks) {
    if (record.value() == null) {
      throw new IllegalArgumentException("record has no value");
    }
    StepEvent event = serde.deserialize(record.topic(), record.value());
    StepEventKind kind = StepEventKind.of(event);
    if (!kind.endsAttempt()) {
      return;
    }
    JobDefinition job = shared.definitions().job(event.getJobName());
    List<HookDefinition> hooks = served(job.hooksFor(event.getStepKey()));
    if (hooks.isEmpty()) {
      return;
    }
    if (!owned.ledger().claim(StepHooks.attemptKey(event), record.offset())) {
      LOG.info(
          "Ignoring a later terminal event of step attempt {}: hooks already fired",
          StepHooks.attemptKey(event));
      return;
    }
    if (!kind.endsStep() && hooks.stream().noneMatch(HookDefinition::firesForRetry)) {
      // Up for retry: the attempt is over and discarded; claimed above, so a late result of it (a
      // paused worker's, after a lost-worker verdict) fires nothing. Its skipped hook events make
      // the claim survive a restart of this runner. (With retry hooks, they fire below, and the
      // others are recorded as skipped the same way.)
      shared
          .hooks()
          .recordDiscarded(
              event, record.offset(), owned.hookPartition(), hooks, owned.ledger(), acks);
      return;
    }
    StepHooks.Firing firing = firing(record, event, owned, job, hooks);
    Supplier<StepHooks.Firing> again = () -> firing(record, event, owned, job, hooks);
    if (!shared.hooks().fire(firing, owned.ledger(), acks, lane, again)) {
      // The partition is going: the hooks not run yet are the next owner's, through this record.
      acks.giveUp();
    }
  }

  // On the lane's thread: a later try of a hook builds it again, as the run may have left the
  // cache.
  private StepHooks.Firing firing(
      ConsumerRecord<byte[], byte[]> record,
      StepEvent event,
      PartitionLedger owned,
      JobDefinition job,
      List<HookDefinition> hooks) {
    OpDefinition<?> op = job.node(event.getStepKey()).op();
    RunCache.Run run = runs.get(event, job);
    StepOutcome outcome = shared.outcomes().of(event, job, op, run.config());
    return new StepHooks.Firing(
        record, event, owned.hookPartition(), hooks, outcome, run::resource);
  }

  // Only the hooks of this runner's lane: another lane's runners fire the rest.
  private List<HookDefinition> served(List<HookDefinition> hooks) {
    if (shared.selector().servesAll()) {
      return hooks;
    }
    return hooks.stream().filter(shared.selector()::serves).toList();
  }

  @Override
  public void sweep() {
    runs.sweep();
  }

  @Override
  public void runEnded(String runId) {
    runs.remove(runId);
  }

  @Override
  public void close() {
    ledger.cancel(false);
    runs.clear();
  }
}
