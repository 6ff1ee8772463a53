package io.opflow.hooks.internal;

import io.opflow.core.ErrorInfo;
import io.opflow.core.RetryPolicy;
import io.opflow.core.RunStatusContext;
import io.opflow.core.RunStatusSensor;
import io.opflow.core.execution.RunStatus;
import io.opflow.events.RunEvent;
import io.opflow.hooks.internal.LedgerLoader.PartitionLedger;
import io.opflow.schemas.AvroEventSerde;
import io.opflow.schemas.OpflowSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The handler of one owned run-events partition's lane: decodes a run event and runs the sensors
 * that apply to it, each once per idempotency key ({@code runId/sensor/name}). Each call is
 * recorded as a hook event marked {@code runSensor}, in the same ledger as hooks: a run event read
 * again (after a restart or a rebalance) runs only the sensors with no record yet. A sensor with a
 * retry policy is tried again like a hook ({@link LaterTries}); its error on the last try is
 * recorded, logged, and sent to the dead-letter topic with the run event. An undecodable record is
 * dead-lettered.
 */
final class SensorPartitionLane implements PartitionLaneHandler {
  private final Sensors sensors;
  private final StepPartitionLane.Shared shared;
  private final CompletableFuture<PartitionLedger> ledger;
  private final AvroEventSerde<RunEvent> serde = OpflowSerdes.runEvents();

  SensorPartitionLane(
      Sensors sensors, StepPartitionLane.Shared shared, CompletableFuture<PartitionLedger> ledger) {
    this.sensors = sensors;
    this.shared = shared;
    this.ledger = ledger;
  }

  // One run event's sensor calls, and where their records go.
  private record Run(
      RunEvent event,
      RunStatus status,
      ConsumerRecord<byte[], byte[]> record,
      PartitionLedger owned,
      RecordAcks acks,
      PartitionLane lane) {}

  @Override
  public void handle(ConsumerRecord<byte[], byte[]> record, PartitionLane lane) {
    PartitionLedger owned = LedgerLoader.await(ledger, lane);
    if (owned == null) {
      lane.abandon(record); // the partition went before its ledger was read
      return;
    }
    RecordAcks acks = new RecordAcks(lane, record);
    try {
      if (record.value() == null) {
        throw new IllegalArgumentException("record has no value");
      }
      RunEvent event = serde.deserialize(record.topic(), record.value());
      RunStatus status = Sensors.statusOf(event);
      if (status != null) {
        react(new Run(event, status, record, owned, acks, lane));
      }
    } catch (RuntimeException e) {
      shared.deadLetters().send(record, e, acks.expect());
    }
    acks.release();
  }

  private void react(Run run) {
    for (RunStatusSensor sensor : sensors.applicable(run.event(), run.status())) {
      String key = key(run, sensor);
      if (run.owned().ledger().hasFired(key)) {
        continue;
      }
      if (run.lane().closing()) {
        run.acks().giveUp(); // the sensors not run yet are the next owner's, through this record
        return;
      }
      HookLedger.Pending pending = run.owned().ledger().pending(key);
      if (pending == null) {
        tryNow(run, sensor, 1);
        continue;
      }
      // Read again: go on from the ledger's tries, when the next is due.
      Duration wait = Duration.between(Instant.now(), pending.nextTryAt());
      if (wait.isNegative() || wait.isZero()) {
        tryNow(run, sensor, pending.tries() + 1);
      } else {
        scheduleTry(run, sensor, pending.tries() + 1, wait);
      }
    }
  }

  private void tryNow(Run run, RunStatusSensor sensor, int tryNumber) {
    Instant start = Instant.now();
    Exception error = sensors.invoke(sensor, run.event(), run.status());
    Duration took = Duration.between(start, Instant.now());
    RetryPolicy policy = sensor.retryPolicy();
    Duration delay = error == null ? null : policy.delayAfterFailedTry(tryNumber, error);
    boolean again = delay != null;
    String key = key(run, sensor);
    String attempt = HookLedger.attemptKey(run.event().getRunId(), "", 0);
    long offset = run.record().offset();
    Instant nextTryAt = again ? Instant.now().plus(delay) : null;
    if (again) {
      run.owned().ledger().recordTry(key, attempt, offset, tryNumber, nextTryAt);
    } else {
      run.owned().ledger().recordFired(key, attempt, offset);
    }
    StepHooks.SensorCall call =
        new StepHooks.SensorCall(
            run.event().getRunId(), sensor.name(), run.status(), error, took, tryNumber, nextTryAt);
    shared.hooks().recordSensorCall(call, offset, run.owned().hookPartition(), run.acks().expect());
    if (again) {
      scheduleTry(run, sensor, tryNumber + 1, delay);
    } else if (error != null && policy.maxRetries() > 0) {
      shared
          .deadLetters()
          .sendHookCall(
              run.record(),
              sensor.name(),
              key,
              tryNumber,
              StepHooks.describe(ErrorInfo.from(error, false)),
              run.acks().expect());
    }
  }

  private void scheduleTry(Run run, RunStatusSensor sensor, int tryNumber, Duration delay) {
    shared
        .laterTries()
        .schedule(run.lane(), run.acks(), delay, () -> tryNow(run, sensor, tryNumber));
  }

  private static String key(Run run, RunStatusSensor sensor) {
    return RunStatusContext.idempotencyKey(run.event().getRunId(), sensor.name());
  }

  @Override
  public void close() {
    ledger.cancel(false);
  }
}
