package io.opflow.hooks.internal;

import io.opflow.events.RunEvent;
import io.opflow.schemas.AvroEventSerde;
import io.opflow.schemas.OpflowSerdes;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The handler of one owned run-events partition's lane: decodes a run event and runs the sensors
 * that apply to it. A sensor error is only logged; an undecodable record is dead-lettered.
 */
final class SensorLane implements LaneHandler {
  private final Sensors sensors;
  private final AsyncDeadLetters deadLetters;
  private final AvroEventSerde<RunEvent> serde = OpflowSerdes.runEvents();

  SensorLane(Sensors sensors, AsyncDeadLetters deadLetters) {
    this.sensors = sensors;
    this.deadLetters = deadLetters;
  }

  @Override
  public void handle(ConsumerRecord<byte[], byte[]> record, Lane lane) {
    RecordAcks acks = new RecordAcks(lane, record);
    try {
      if (record.value() == null) {
        throw new IllegalArgumentException("record has no value");
      }
      sensors.react(serde.deserialize(record.topic(), record.value()));
    } catch (RuntimeException e) {
      deadLetters.send(record, e, acks.expect());
    }
    acks.release();
  }
}
