package io.opflow.hooks.internal;

import io.opflow.core.RunStatusContext;
import io.opflow.core.RunStatusSensor;
import io.opflow.core.execution.RunStatus;
import io.opflow.events.RunEvent;
import io.opflow.hooks.internal.LedgerLoader.LaneLedger;
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
 * again (after a restart or a rebalance) runs only the sensors with no record yet. A sensor's error
 * is recorded and logged; an undecodable record is dead-lettered.
 */
final class SensorLane implements LaneHandler {
  private final Sensors sensors;
  private final StepHooks records;
  private final AsyncDeadLetters deadLetters;
  private final CompletableFuture<LaneLedger> ledger;
  private final AvroEventSerde<RunEvent> serde = OpflowSerdes.runEvents();

  SensorLane(
      Sensors sensors,
      StepHooks records,
      AsyncDeadLetters deadLetters,
      CompletableFuture<LaneLedger> ledger) {
    this.sensors = sensors;
    this.records = records;
    this.deadLetters = deadLetters;
    this.ledger = ledger;
  }

  @Override
  public void handle(ConsumerRecord<byte[], byte[]> record, Lane lane) {
    LaneLedger owned = LedgerLoader.await(ledger, lane);
    if (owned == null) {
      lane.abandon(record); // the partition went before its ledger was read
      return;
    }
    RecordAcks acks = new RecordAcks(lane, record);
    try {
      if (record.value() == null) {
        throw new IllegalArgumentException("record has no value");
      }
      react(serde.deserialize(record.topic(), record.value()), record, owned, acks, lane);
    } catch (RuntimeException e) {
      deadLetters.send(record, e, acks.expect());
    }
    acks.release();
  }

  private void react(
      RunEvent event,
      ConsumerRecord<byte[], byte[]> record,
      LaneLedger owned,
      RecordAcks acks,
      Lane lane) {
    RunStatus status = Sensors.statusOf(event);
    if (status == null) {
      return;
    }
    for (RunStatusSensor sensor : sensors.applicable(event, status)) {
      String key = RunStatusContext.idempotencyKey(event.getRunId(), sensor.name());
      if (owned.ledger().hasFired(key)) {
        continue;
      }
      if (lane.closing()) {
        acks.giveUp(); // the sensors not run yet are the next owner's, through this record
        return;
      }
      Instant start = Instant.now();
      Exception error = sensors.invoke(sensor, event, status);
      owned
          .ledger()
          .recordFired(key, HookLedger.attemptKey(event.getRunId(), "", 0), record.offset());
      records.recordSensorCall(
          new StepHooks.SensorCall(
              event.getRunId(),
              sensor.name(),
              status,
              error,
              Duration.between(start, Instant.now())),
          record.offset(),
          owned.hookPartition(),
          acks.expect());
    }
  }

  @Override
  public void close() {
    ledger.cancel(false);
  }
}
