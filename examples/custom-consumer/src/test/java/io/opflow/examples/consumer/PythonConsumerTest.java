package io.opflow.examples.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.events.ErrorInfo;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepStarted;
import io.opflow.events.StepSucceeded;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.ReleasedSchemas;
import io.opflow.testkit.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A consumer written in Python, outside the JVM, reads step events that Java wrote: {@code
 * python/failure_printer.py} with Debian's python3-avro 1.11, fed by kcat, against a real broker,
 * with records of the current schema and of a released version, an undecodable one and one of an
 * aborted transaction.
 *
 * <p>Needs {@code python3} with the {@code avro} module and {@code kcat} ({@code apt-get install
 * python3-avro kcat}, which {@code .ci/run} does). Without them the test is skipped with a notice,
 * or fails when {@code CI=true}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PythonConsumerTest {
  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  private static final Path SCRIPT = Path.of("python", "failure_printer.py");
  private static final Instant AT = Instant.ofEpochMilli(1_790_000_000_000L);
  private static String python;

  @BeforeAll
  static void requirePythonAvroAndKcat() throws Exception {
    python = pythonWithAvro();
    boolean kcat = runs(List.of("kcat", "-V"));
    String missing =
        (python == null ? "python3 with the avro module (python3-avro)" : "")
            + (python == null && !kcat ? " and " : "")
            + (kcat ? "" : "kcat");
    if (missing.isEmpty()) {
      return;
    }
    String notice =
        "no "
            + missing
            + " on this machine: apt-get install -y python3-avro kcat (.ci/run installs them)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(
          "The Python consumer test must run under CI=true, but " + notice);
    }
    System.out.println("[opflow] SKIPPED Python consumer test: " + notice);
    Assumptions.abort("SKIPPED Python consumer test: " + notice);
  }

  @Test
  void aPythonConsumerDecodesEventsOfTheCurrentAndReleasedSchemasAndSkipsTheRest()
      throws Exception {
    String topic = "python-" + UUID.randomUUID();
    kafka.broker().createTopics(1, topic);
    send(topic, OpflowSerdes.stepEvents().serialize(topic, event(new StepStarted("w", AT))));
    send(topic, OpflowSerdes.stepEvents().serialize(topic, event(failed("disk full"))));
    send(topic, new byte[] {1, 2, 3});
    sendAborted(topic, OpflowSerdes.stepEvents().serialize(topic, event(failed("never happened"))));
    send(
        topic,
        OpflowSerdes.stepEvents().serialize(topic, event(new StepSucceeded(Map.of(), 2L, null))));
    send(topic, releasedV1Failure("connection refused"));

    Result result = consume(topic);

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out().lines())
        .containsExactly(
            "FAILED run=run-1 step=load attempt=2 error=java.io.IOException: disk full",
            "FAILED run=run-1 step=load attempt=2 error=java.io.IOException: connection refused");
    assertThat(result.err()).contains("skipping an undecodable record").contains("C3 01");
  }

  private record Result(int code, String out, String err) {}

  private static Result consume(String topic) throws IOException, InterruptedException {
    String kcat =
        "kcat -C -b "
            + kafka.bootstrapServers()
            + " -t "
            + topic
            + " -o beginning -e -q -X isolation.level=read_committed -f '%S %h\\n%s'";
    String pipeline =
        "set -o pipefail; "
            + kcat
            + " | "
            + python
            + " "
            + SCRIPT
            + " --schemas "
            + PortableSchemasTest.SHIPPED;
    Path out = Files.createTempFile("python-consumer", ".out");
    Path err = Files.createTempFile("python-consumer", ".err");
    Process process =
        new ProcessBuilder("bash", "-c", pipeline)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kcat | python did not end within 60 s: " + Files.readString(err));
    }
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static StepEvent event(Object payload) {
    return new StepEvent("run-1", "load", 2, "etl", "load", AT, payload, "{}");
  }

  private static StepFailed failed(String message) {
    return new StepFailed(
        new ErrorInfo("java.io.IOException", message, List.of(), null, true), 7L, Map.of());
  }

  /** A StepFailed written with the first released schema, as a writer of that version would. */
  private static byte[] releasedV1Failure(String message) throws IOException {
    Schema v1 = ReleasedSchemas.schema("v1", "StepEvent").orElseThrow();
    Schema payloads = v1.getField("payload").schema();
    Schema failedSchema =
        payloads.getTypes().get(payloads.getIndexNamed("io.opflow.events.StepFailed"));
    Schema errorSchema = failedSchema.getField("error").schema();
    GenericRecord error = new GenericData.Record(errorSchema);
    error.put("type", "java.io.IOException");
    error.put("message", message);
    error.put("stackFrames", new ArrayList<>());
    error.put("cause", null);
    error.put("retriable", true);
    GenericRecord failure = new GenericData.Record(failedSchema);
    failure.put("error", error);
    failure.put("durationMillis", 7L);
    failure.put("partialOutputsJson", Map.of());
    GenericRecord event = new GenericData.Record(v1);
    event.put("runId", "run-1");
    event.put("stepKey", "load");
    event.put("attempt", 2);
    event.put("jobName", "etl");
    event.put("opName", "load");
    event.put("timestamp", AT.toEpochMilli());
    event.put("payload", failure);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(event, bytes);
    return bytes.toByteArray();
  }

  private static void send(String topic, byte[] value) throws Exception {
    try (KafkaProducer<String, byte[]> producer = producer(Map.of())) {
      producer.send(new ProducerRecord<>(topic, "run-1", value)).get();
    }
  }

  private static void sendAborted(String topic, byte[] value) throws Exception {
    try (KafkaProducer<String, byte[]> producer =
        producer(
            Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "python-test-" + UUID.randomUUID()))) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "run-1", value)).get();
      producer.abortTransaction();
    }
  }

  private static KafkaProducer<String, byte[]> producer(Map<String, Object> extra) {
    Map<String, Object> props = new java.util.HashMap<>(extra);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** The first python3 that imports avro: Debian's python3-avro installs for /usr/bin/python3. */
  private static String pythonWithAvro() throws InterruptedException {
    List<String> candidates = new ArrayList<>();
    String configured = System.getenv("OPFLOW_PYTHON");
    if (configured != null) {
      candidates.add(configured);
    }
    candidates.addAll(List.of("/usr/bin/python3", "python3"));
    for (String candidate : candidates) {
      if (runs(List.of(candidate, "-c", "import avro.io, avro.schema"))) {
        return candidate;
      }
    }
    return null;
  }

  private static boolean runs(List<String> command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
