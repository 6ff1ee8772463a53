package io.opflow.coordinator.internal;

import io.opflow.events.RunEvent;
import io.opflow.events.StepEvent;
import io.opflow.protocol.StepTask;
import io.opflow.schemas.EventHeaders;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** An {@link Outbox} forwarding to the topology's sinks. */
final class ContextOutbox implements Outbox {
  private final ProcessorContext<String, SpecificRecord> context;

  ContextOutbox(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
  }

  @Override
  public long now() {
    return context.currentSystemTimeMs();
  }

  @Override
  public void task(StepTask task, int partition) {
    String key = CoordinatorTopology.taskKey(task.getRunId(), task.getStepKey());
    RecordHeaders headers = new RecordHeaders();
    EventHeaders.set(headers, TaskPartitioner.HEADER, Integer.toString(partition));
    context.forward(new Record<>(key, task, now(), headers), CoordinatorTopology.STEP_TASKS_SINK);
  }

  @Override
  public void stepEvent(StepEvent event) {
    forward(event.getRunId(), event, CoordinatorTopology.STEP_EVENTS_SINK);
  }

  @Override
  public void leaseProbe(String runId, String probe) {
    RecordHeaders headers = new RecordHeaders();
    EventHeaders.set(headers, EventHeaders.EVENT_TYPE, EventHeaders.LEASE_PROBE_TYPE);
    EventHeaders.set(headers, EventHeaders.LEASE_PROBE, probe);
    context.forward(
        new Record<String, SpecificRecord>(runId, null, now(), headers),
        CoordinatorTopology.STEP_EVENTS_SINK);
  }

  @Override
  public void runEvent(RunEvent event) {
    forward(event.getRunId(), event, CoordinatorTopology.RUN_EVENTS_SINK);
  }

  private void forward(String key, SpecificRecord value, String sink) {
    context.forward(new Record<>(key, value, now()), sink);
  }
}
