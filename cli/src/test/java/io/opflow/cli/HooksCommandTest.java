package io.opflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.cli.Cli.Result;
import io.opflow.core.HookContext;
import io.opflow.events.ErrorInfo;
import io.opflow.events.HookErrored;
import io.opflow.events.HookEvent;
import io.opflow.events.HookKind;
import io.opflow.events.RunEvent;
import io.opflow.events.RunFailed;
import io.opflow.events.StepEvent;
import io.opflow.events.StepSucceeded;
import io.opflow.schemas.AvroEventSerde;
import io.opflow.schemas.EventHeaders;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.OpflowTopics;
import io.opflow.schemas.TopicAdmin;
import io.opflow.testkit.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code opflow hooks replay} and {@code hooks backfill} against a real broker, with a history
 * written straight into fresh topics; and every kind of bad input, refused before connecting.
 */
@Timeout(120)
class HooksCommandTest {
  private static final String NO_BROKER = "127.0.0.1:9";
  private static final String DEFINITIONS = ReplayDefinitions.class.getName();

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  private String prefix;
  private String runId;

  @BeforeEach
  void setUp() {
    prefix = "h" + UUID.randomUUID().toString().substring(0, 8) + ".";
    runId = UUID.randomUUID().toString();
    try (TopicAdmin admin = TopicAdmin.create(kafka.broker().adminConfig())) {
      admin.ensureTopics(OpflowTopics.builder().prefix(prefix).partitions(2).build());
    }
    ReplayDefinitions.RAN.clear();
  }

  @Test
  void aDryRunListsTheCallsThenAReplayAndABackfillFireThemOnce() throws Exception {
    OpflowTopics topics = OpflowTopics.withPrefix(prefix);
    StepEvent charged =
        new StepEvent(
            runId,
            "charge",
            1,
            "shop",
            "charge",
            Instant.parse("2026-12-01T09:00:00Z"),
            new StepSucceeded(Map.of(), 4L, null),
            "{}");
    send(topics.stepEvents(), charged, OpflowSerdes.stepEvents());
    send(topics.hookEvents(), receiptErrored(), OpflowSerdes.hookEvents());
    String base = runId + "/charge/1/";

    Result listed = hooks("replay", "--dry-run");

    assertThat(listed.code()).as(listed.err()).isZero();
    assertThat(listed.out())
        .isEqualTo(
            base
                + "receipt -> "
                + base
                + "receipt/g2 hook receipt WOULD_FIRE\n"
                + "1 call: 1 would fire (dry run: no hook ran, nothing was published)\n");
    assertThat(ReplayDefinitions.RAN).isEmpty();

    Result replayed = hooks("replay", "--run", runId, "--only", "errored");

    assertThat(replayed.code()).as(replayed.err()).isZero();
    assertThat(replayed.out())
        .isEqualTo(
            base
                + "receipt -> "
                + base
                + "receipt/g2 hook receipt COMPLETED\n"
                + "1 call: 1 completed\n");
    assertThat(ReplayDefinitions.RAN).containsExactly(base + "receipt/g2");

    Result backfilled = hooks("backfill", "--job", "shop", "--from", "2026-12-01T10:00:00+01:00");

    assertThat(backfilled.code()).as(backfilled.err()).isZero();
    assertThat(backfilled.out())
        .isEqualTo(
            base + "audit -> " + base + "audit/g2 hook audit COMPLETED\n1 call: 1 completed\n");
    assertThat(ReplayDefinitions.RAN).containsExactly(base + "receipt/g2", base + "audit/g2");

    Result again = hooks("backfill", "--job", "shop");

    assertThat(again.code()).isZero();
    assertThat(again.out()).isEqualTo("0 calls\n");
    assertThat(ReplayDefinitions.RAN).hasSize(2);
  }

  @Test
  void aTopicPrefixWithNoTopicsIsBadInput() {
    Result r =
        Cli.run(
            "hooks",
            "replay",
            "-b",
            kafka.bootstrapServers(),
            "--topic-prefix",
            "absent.",
            "--definitions",
            DEFINITIONS);

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("topic absent.step-events does not exist", "--topic-prefix");
  }

  @Test
  void aBrokerThatDoesNotAnswerExitsThree() {
    Result r =
        Cli.run(
            "hooks",
            "replay",
            "-b",
            "127.0.0.1:" + Cli.closedPort(),
            "--connect-timeout",
            "1s",
            "--definitions",
            DEFINITIONS);

    assertThat(r.code()).as(r.err()).isEqualTo(3);
    assertThat(r.err()).contains("did not answer within 1 s");
  }

  @Test
  void badInputExitsTwoSayingWhatIsWrongAndWhatToDo() {
    assertBad(List.of("hooks"), "give a subcommand: replay or backfill");
    assertBad(
        replay("--only", "sometimes"), "'sometimes' is not one of errored, dead-lettered, all");
    assertBad(replay("--from", "yesterday"), "'yesterday' is not an ISO-8601 instant");
    assertBad(
        replay("--from", "2026-12-02T00:00:00Z", "--to", "2026-12-01T00:00:00Z"),
        "--from 2026-12-02T00:00:00Z is not before --to 2026-12-01T00:00:00Z");
    assertBad(replay("--job", "nope"), "unknown job 'nope'; known jobs: shop");
    assertBad(
        replay("--hook", "reciept"),
        "no loaded job has a hook 'reciept'; hooks loaded: audit, page, receipt; sensors loaded:"
            + " refund_alert; jobs loaded:"
            + " shop");
    assertBad(replay("--only", "all"), "would fire hooks for every run", "--dry-run");
    assertBad(
        List.of("hooks", "backfill", "-b", NO_BROKER, "--definitions", DEFINITIONS),
        "hooks backfill with no --run, --job, --hook, --from or --to");
    assertBad(replay("--config", "acks=all"), "unknown setting --config acks", "kafka.*");
  }

  private static List<String> replay(String... more) {
    List<String> args =
        new ArrayList<>(List.of("hooks", "replay", "-b", NO_BROKER, "--definitions", DEFINITIONS));
    args.addAll(List.of(more));
    return args;
  }

  private static void assertBad(List<String> args, String... says) {
    Result r = Cli.run(args.toArray(String[]::new));
    assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(2);
    assertThat(r.err()).contains(says);
    assertThat(ReplayDefinitions.RAN).isEmpty();
  }

  private Result hooks(String command, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "hooks",
                command,
                "-b",
                kafka.bootstrapServers(),
                "--topic-prefix",
                prefix,
                "--definitions",
                DEFINITIONS));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void aRunStatusSensorCallIsReplayedByItsName() throws Exception {
    OpflowTopics topics = OpflowTopics.withPrefix(prefix);
    RunEvent failed =
        new RunEvent(
            runId,
            "shop",
            Instant.parse("2026-12-01T09:00:05Z"),
            new RunFailed(List.of("charge"), "step charge failed"));
    RecordMetadata at =
        send(topics.runEvents(), failed, OpflowSerdes.runEvents(), new RecordHeaders());
    RecordHeaders source = new RecordHeaders();
    EventHeaders.set(source, EventHeaders.HOOK_SOURCE_OFFSET, Long.toString(at.offset()));
    send(topics.hookEvents(), sensorErrored(), OpflowSerdes.hookEvents(), source);
    String key = runId + "/sensor/refund_alert";

    Result listed = hooks("replay", "--hook", "refund_alert", "--dry-run");

    assertThat(listed.code()).as(listed.err()).isZero();
    assertThat(listed.out())
        .isEqualTo(
            key
                + " -> "
                + key
                + "/g2 sensor refund_alert WOULD_FIRE\n"
                + "1 call: 1 would fire (dry run: no hook ran, nothing was published)\n");
    assertThat(ReplayDefinitions.RAN).isEmpty();

    Result replayed = hooks("replay", "--job", "shop", "--hook", "refund_alert");

    assertThat(replayed.code()).as(replayed.err()).isZero();
    assertThat(replayed.out())
        .isEqualTo(key + " -> " + key + "/g2 sensor refund_alert COMPLETED\n1 call: 1 completed\n");
    assertThat(ReplayDefinitions.RAN).containsExactly(key + "/g2");
  }

  private HookEvent sensorErrored() {
    return HookEvent.newBuilder()
        .setRunId(runId)
        .setStepKey("")
        .setAttempt(0)
        .setHookName("refund_alert")
        .setHookKind(HookKind.FAILURE)
        .setIdempotencyKey(runId + "/sensor/refund_alert")
        .setRunSensor(true)
        .setTimestamp(Instant.parse("2026-12-01T09:00:06Z"))
        .setPayload(new HookErrored(connectError("pager down")))
        .build();
  }

  private static ErrorInfo connectError(String message) {
    return ErrorInfo.newBuilder()
        .setType("java.net.ConnectException")
        .setMessage(message)
        .setStackFrames(List.of())
        .setRetriable(false)
        .build();
  }

  private HookEvent receiptErrored() {
    ErrorInfo error =
        ErrorInfo.newBuilder()
            .setType("java.net.ConnectException")
            .setMessage("mail server down")
            .setStackFrames(List.of())
            .setRetriable(false)
            .build();
    return HookEvent.newBuilder()
        .setRunId(runId)
        .setStepKey("charge")
        .setAttempt(1)
        .setHookName("receipt")
        .setHookKind(HookKind.SUCCESS)
        .setIdempotencyKey(HookContext.idempotencyKey(runId, "charge", 1, "receipt"))
        .setTimestamp(Instant.parse("2026-12-01T09:00:01Z"))
        .setPayload(new HookErrored(error))
        .build();
  }

  private <T extends SpecificRecord> void send(String topic, T event, AvroEventSerde<T> serde)
      throws Exception {
    send(topic, event, serde, new RecordHeaders());
  }

  private <T extends SpecificRecord> RecordMetadata send(
      String topic, T event, AvroEventSerde<T> serde, RecordHeaders headers) throws Exception {
    byte[] value = serde.serialize(topic, headers, event);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      return producer
          .send(
              new ProducerRecord<>(
                  topic, null, runId.getBytes(StandardCharsets.UTF_8), value, headers))
          .get(10, TimeUnit.SECONDS);
    }
  }
}
