package io.opflow.schemas;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Names of the Kafka record headers Opflow writes, and readers for them.
 *
 * <p>Opflow's serializers set {@link #EVENT_TYPE}, {@link #RUN_ID} and, when the event concerns a
 * step, {@link #STEP_KEY}, so a consumer can filter without decoding. Values are UTF-8 strings.
 * Dead-letter records carry the {@code opflow.dlq.*} provenance headers (see {@link DeadLetter}).
 */
public final class EventHeaders {

  /** Simple name of the payload record, such as {@code StepSucceeded} or {@code StepTask}. */
  public static final String EVENT_TYPE = "opflow.event-type";

  /** Run id of the event. */
  public static final String RUN_ID = "opflow.run-id";

  /** Step key of the event, present only on step-level records. */
  public static final String STEP_KEY = "opflow.step-key";

  /**
   * Attempt number, on step tasks only: with {@link #JOB_NAME} and {@link #OP_NAME}, what a worker
   * that cannot decode a task needs to report the attempt as failed.
   */
  public static final String ATTEMPT = "opflow.attempt";

  /** Job name, on step tasks only. */
  public static final String JOB_NAME = "opflow.job";

  /** Op name, on step tasks only. */
  public static final String OP_NAME = "opflow.op";

  /** Dead letter: topic the record was read from. */
  public static final String DLQ_SOURCE_TOPIC = "opflow.dlq.source-topic";

  /** Dead letter: partition the record was read from, as a decimal string. */
  public static final String DLQ_SOURCE_PARTITION = "opflow.dlq.source-partition";

  /** Dead letter: offset of the record in its partition, as a decimal string. */
  public static final String DLQ_SOURCE_OFFSET = "opflow.dlq.source-offset";

  /** Dead letter: error type and message that made the record undeliverable. */
  public static final String DLQ_ERROR = "opflow.dlq.error";

  /** Dead letter: consumer group that gave up on the record. */
  public static final String DLQ_CONSUMER_GROUP = "opflow.dlq.consumer-group";

  /**
   * Hook dead letter: the hook whose call used up its tries. A dead letter with this header is a
   * hook call, not an undecodable record: its key, value and headers are the step event the hook
   * fired for, so {@code opflow hooks replay --only dead-lettered} can fire it again.
   */
  public static final String DLQ_HOOK_NAME = "opflow.dlq.hook-name";

  /** Hook dead letter: the call's idempotency key. */
  public static final String DLQ_HOOK_KEY = "opflow.dlq.hook-key";

  /** Hook dead letter: how many tries the call had, as a decimal string. */
  public static final String DLQ_HOOK_TRIES = "opflow.dlq.hook-tries";

  /**
   * Hook events: offset, in its step-events partition, of the terminal step event the hook reacted
   * to. Lets a restarted hooks-runner tell a redelivery of that record (fire the hooks still
   * missing) from a later, different terminal event of the same attempt (fire nothing).
   */
  public static final String HOOK_SOURCE_OFFSET = "opflow.hooks.source-offset";

  /**
   * The coordinator's lease probe on {@code step-events}: a record with no value whose header says
   * who sent it and when. Readers of step events skip it (see {@link #isLeaseProbe}).
   */
  public static final String LEASE_PROBE = "opflow.lease-probe";

  /** The {@link #EVENT_TYPE} of a lease probe, so that filters on the type skip it undecoded. */
  public static final String LEASE_PROBE_TYPE = "LeaseProbe";

  private EventHeaders() {}

  /**
   * Returns whether a {@code step-events} record is one of the coordinator's lease probes, which
   * carry no event: the coordinator writes them to learn that it has read everything written to a
   * partition before a moment, and readers of step events skip them.
   *
   * @param headers the record's headers
   * @return true for a lease probe
   */
  public static boolean isLeaseProbe(Headers headers) {
    return headers.lastHeader(LEASE_PROBE) != null;
  }

  /**
   * Returns the event type header.
   *
   * @param headers the record's headers
   * @return the event type, if present
   */
  public static Optional<String> eventType(Headers headers) {
    return lastValue(headers, EVENT_TYPE);
  }

  /**
   * Returns the run id header.
   *
   * @param headers the record's headers
   * @return the run id, if present
   */
  public static Optional<String> runId(Headers headers) {
    return lastValue(headers, RUN_ID);
  }

  /**
   * Returns the step key header.
   *
   * @param headers the record's headers
   * @return the step key, if present
   */
  public static Optional<String> stepKey(Headers headers) {
    return lastValue(headers, STEP_KEY);
  }

  /**
   * Returns the last value of a header as a UTF-8 string.
   *
   * @param headers the record's headers
   * @param key the header name
   * @return the value, if the header is present and has a value
   */
  public static Optional<String> lastValue(Headers headers, String key) {
    Header header = headers.lastHeader(key);
    if (header == null || header.value() == null) {
      return Optional.empty();
    }
    return Optional.of(new String(header.value(), StandardCharsets.UTF_8));
  }

  /**
   * Replaces every value of a header with one UTF-8 string.
   *
   * @param headers the record's headers
   * @param key the header name
   * @param value the new value
   */
  public static void set(Headers headers, String key, String value) {
    headers.remove(key);
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
