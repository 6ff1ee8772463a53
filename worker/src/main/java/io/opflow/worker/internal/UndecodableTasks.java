package io.opflow.worker.internal;

import io.opflow.core.Definitions;
import io.opflow.events.ErrorInfo;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.schemas.EventHeaders;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * The failure a worker reports for a step task it cannot decode, built from the task's headers (run
 * id, step key, attempt, job and op): the attempt fails, not retried, with a message that says why
 * and what to do. Tasks without those headers (written by hand, or by a coordinator older than
 * them) are only dead-lettered.
 */
final class UndecodableTasks {
  private UndecodableTasks() {}

  static Optional<StepEvent> failure(
      ConsumerRecord<byte[], byte[]> record, RuntimeException error, Definitions definitions) {
    Headers headers = record.headers();
    Optional<String> runId = EventHeaders.runId(headers);
    Optional<String> stepKey = EventHeaders.stepKey(headers);
    Optional<Integer> attempt =
        EventHeaders.lastValue(headers, EventHeaders.ATTEMPT).flatMap(UndecodableTasks::number);
    Optional<String> job = EventHeaders.lastValue(headers, EventHeaders.JOB_NAME);
    Optional<String> op = EventHeaders.lastValue(headers, EventHeaders.OP_NAME);
    if (runId.isEmpty()
        || stepKey.isEmpty()
        || attempt.isEmpty()
        || job.isEmpty()
        || op.isEmpty()) {
      return Optional.empty();
    }
    String message =
        "a worker could not decode the task of this step ("
            + error.getMessage()
            + "); it was probably written with event schemas newer than this worker's (code"
            + " version "
            + definitions.codeVersion()
            + "): upgrade the workers' opflow-schemas, then run the job again. The task is in"
            + " the dead-letter topic, from "
            + record.topic()
            + "-"
            + record.partition()
            + "@"
            + record.offset();
    ErrorInfo info = new ErrorInfo(error.getClass().getName(), message, List.of(), null, false);
    return Optional.of(
        StepEvent.newBuilder()
            .setRunId(runId.get())
            .setStepKey(stepKey.get())
            .setAttempt(attempt.get())
            .setJobName(job.get())
            .setOpName(op.get())
            .setTimestamp(Instant.now())
            .setPayload(new StepFailed(info, 0L, Map.of()))
            .setRunConfigJson(null)
            .build());
  }

  private static Optional<Integer> number(String text) {
    try {
      return Optional.of(Integer.parseInt(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
