package io.opflow.coordinator.internal;

import io.opflow.schemas.DeadLetter;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record the coordinator cannot decode to the dead-letter topic, with Opflow's provenance
 * headers, and moves on: one bad record never blocks a partition of runs.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler {
  /** Streams config key naming the dead-letter topic; set by the coordinator. */
  public static final String TOPIC_CONFIG = "opflow.dead.letter.topic";

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

  private String topic;
  private String group;

  @Override
  public void configure(Map<String, ?> configs) {
    topic = String.valueOf(configs.get(TOPIC_CONFIG));
    group = String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG));
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    LOG.warn(
        "Undecodable record at {}-{}@{} sent to {}: {}",
        record.topic(),
        record.partition(),
        record.offset(),
        topic,
        exception.toString());
    return Response.resume(List.of(DeadLetter.record(topic, record, group, exception)));
  }
}
