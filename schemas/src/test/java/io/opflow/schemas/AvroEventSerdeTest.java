package io.opflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opflow.events.StepEvent;
import io.opflow.protocol.RunCommand;
import io.opflow.protocol.StepTask;
import io.opflow.schemas.internal.SingleObjectCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

class AvroEventSerdeTest {

  @Test
  void stepEventsRoundTripWithHeaders() {
    for (StepEvent event : Fixtures.stepEvents()) {
      Headers headers = new RecordHeaders();
      StepEvent back = roundTrip(OpflowSerdes.stepEvents(), event, headers);
      assertThat(back).isEqualTo(event);
      assertHeaders(headers, event.getPayload().getClass().getSimpleName(), "a");
    }
  }

  @Test
  void stepTasksRoundTripWithHeaders() {
    StepTask task = Fixtures.stepTasks().get(0);
    Headers headers = new RecordHeaders();
    assertThat(roundTrip(OpflowSerdes.stepTasks(), task, headers)).isEqualTo(task);
    assertHeaders(headers, "StepTask", "b");
    // What a worker that cannot decode the task needs to report the attempt failed.
    assertThat(EventHeaders.lastValue(headers, EventHeaders.ATTEMPT))
        .hasValue(Integer.toString(task.getAttempt()));
    assertThat(EventHeaders.lastValue(headers, EventHeaders.JOB_NAME)).hasValue(task.getJobName());
    assertThat(EventHeaders.lastValue(headers, EventHeaders.OP_NAME)).hasValue(task.getOpName());
  }

  @Test
  void runCommandsRoundTripWithHeadersAndNoStepKey() {
    for (RunCommand command : Fixtures.runCommands()) {
      Headers headers = new RecordHeaders();
      assertThat(roundTrip(OpflowSerdes.runCommands(), command, headers)).isEqualTo(command);
      assertHeaders(headers, command.getPayload().getClass().getSimpleName(), null);
    }
  }

  @Test
  void hookEventsRoundTripWithHeaders() {
    for (var event : Fixtures.hookEvents()) {
      Headers headers = new RecordHeaders();
      assertThat(roundTrip(OpflowSerdes.hookEvents(), event, headers)).isEqualTo(event);
      assertHeaders(headers, event.getPayload().getClass().getSimpleName(), "a");
    }
  }

  @Test
  void runEventsRoundTripWithHeaders() {
    for (var event : Fixtures.runEvents()) {
      Headers headers = new RecordHeaders();
      assertThat(roundTrip(OpflowSerdes.runEvents(), event, headers)).isEqualTo(event);
      assertHeaders(headers, event.getPayload().getClass().getSimpleName(), null);
    }
  }

  @Test
  void serializingTwiceKeepsOneValuePerHeader() {
    StepEvent event = Fixtures.stepEvents().get(0);
    Headers headers = new RecordHeaders();
    OpflowSerdes.stepEvents().serialize("t", headers, event);
    OpflowSerdes.stepEvents().serialize("t", headers, event);
    assertThat(headers.headers(EventHeaders.RUN_ID)).hasSize(1);
  }

  @Test
  void nullMapsToNull() {
    AvroEventSerde<StepEvent> serde = OpflowSerdes.stepEvents();
    assertThat(serde.serialize("t", new RecordHeaders(), null)).isNull();
    assertThat(serde.deserialize("t", null)).isNull();
  }

  @Test
  void concreteClassesAreNamedInKafkaProperties() throws Exception {
    List<String> types = List.of("StepEvent", "StepTask", "RunCommand", "HookEvent", "RunEvent");
    for (String type : types) {
      Object serializer = instantiate("io.opflow.schemas." + type + "Serializer");
      Object deserializer = instantiate("io.opflow.schemas." + type + "Deserializer");
      assertThat(serializer).isInstanceOf(Serializer.class);
      assertThat(deserializer).isInstanceOf(Deserializer.class);
    }
  }

  @Test
  void concreteSerializerAndDeserializerRoundTrip() {
    StepEvent event = Fixtures.stepEvents().get(3);
    Headers headers = new RecordHeaders();
    try (var serializer = new StepEventSerializer();
        var deserializer = new StepEventDeserializer()) {
      byte[] bytes = serializer.serialize("t", headers, event);
      assertThat(deserializer.deserialize("t", headers, bytes)).isEqualTo(event);
    }
    assertThat(EventHeaders.eventType(headers)).contains("StepFailed");
  }

  @Test
  void refusesBytesWithoutTheMarker() {
    byte[] json = "{\"runId\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThatThrownBy(() -> OpflowSerdes.stepEvents().deserialize("opflow.step-events", json))
        .isInstanceOf(EventDecodingException.class)
        .hasMessageContaining("opflow.step-events")
        .hasMessageContaining("marker C3 01")
        .hasMessageContaining("value.serializer");
  }

  @Test
  void refusesAnUnknownFingerprint() {
    byte[] bytes = encodedStepEvent();
    ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(2, 0x1234L);
    assertThatThrownBy(() -> OpflowSerdes.stepEvents().deserialize("opflow.step-events", bytes))
        .isInstanceOf(EventDecodingException.class)
        .hasMessageContaining("fingerprint 0000000000001234")
        .hasMessageContaining("upgrade opflow-schemas");
  }

  @Test
  void refusesATruncatedRecord() {
    byte[] bytes = encodedStepEvent();
    byte[] cut = Arrays.copyOf(bytes, bytes.length - 3);
    assertThatThrownBy(() -> OpflowSerdes.stepEvents().deserialize("opflow.step-events", cut))
        .isInstanceOf(EventDecodingException.class)
        .hasMessageContaining("truncated or corrupt")
        .hasMessageContaining("dead-letter");
  }

  @Test
  void refusesTrailingBytes() {
    byte[] bytes = Arrays.copyOf(encodedStepEvent(), encodedStepEvent().length + 1);
    assertThatThrownBy(() -> OpflowSerdes.stepEvents().deserialize("t", bytes))
        .isInstanceOf(EventDecodingException.class)
        .hasMessageContaining("left over");
  }

  @Test
  void refusesAStringLongerThanTheRecord() {
    byte[] header = Arrays.copyOf(encodedStepEvent(), 10);
    // Body: runId string claiming 2^30 bytes (zig-zag varint), then nothing.
    byte[] bytes = Arrays.copyOf(header, 15);
    byte[] huge = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};
    System.arraycopy(huge, 0, bytes, 10, 5);
    assertThatThrownBy(() -> OpflowSerdes.stepEvents().deserialize("t", bytes))
        .isInstanceOf(EventDecodingException.class)
        .hasMessageContaining("claims");
  }

  @Test
  void refusesACollectionLargerThanTheRecord() {
    byte[] header =
        Arrays.copyOf(OpflowSerdes.runEvents().serialize("t", Fixtures.runEvents().get(2)), 10);
    // Body: runId "", jobName "", timestamp 0, payload RunFailed, failedSteps claiming 2^30 items.
    byte[] body = {0, 0, 0, 4, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};
    byte[] bytes = Arrays.copyOf(header, 10 + body.length);
    System.arraycopy(body, 0, bytes, 10, body.length);
    assertThatThrownBy(() -> OpflowSerdes.runEvents().deserialize("t", bytes))
        .isInstanceOf(EventDecodingException.class)
        .hasMessageContaining("collection claims 1073741824 items");
  }

  @Test
  void refusesCausesNestedDeeperThanTheStack() {
    int depth = 500_000;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(encodedStepEvent(), 0, 10);
    // runId, stepKey "", attempt 0, jobName, opName "", timestamp 0, payload StepFailed (3 -> 6).
    out.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, 6});
    for (int i = 0; i < depth; i++) {
      out.writeBytes(new byte[] {0, 0, 0, 2}); // type "", message null, no frames, cause present
    }
    out.writeBytes(new byte[] {0, 0, 0, 0, 0}); // innermost: no cause, not retriable
    out.writeBytes(new byte[depth]); // retriable=false of every enclosing error
    out.writeBytes(new byte[] {0, 0}); // durationMillis 0, no partial outputs
    byte[] bytes = out.toByteArray();
    assertThatThrownBy(() -> OpflowSerdes.stepEvents().deserialize("t", bytes))
        .isInstanceOf(EventDecodingException.class)
        .hasMessageContaining("nests too deeply");
  }

  @Test
  void headerIsTheSchemaFingerprint() {
    byte[] bytes = encodedStepEvent();
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(fingerprint).isEqualTo(SingleObjectCodec.fingerprint(StepEvent.getClassSchema()));
  }

  private static byte[] encodedStepEvent() {
    return OpflowSerdes.stepEvents().serialize("t", Fixtures.stepEvents().get(3));
  }

  private static <T extends SpecificRecord> T roundTrip(
      AvroEventSerde<T> serde, T event, Headers headers) {
    byte[] bytes = serde.serialize("topic", headers, event);
    return serde.deserialize("topic", headers, bytes);
  }

  private static void assertHeaders(Headers headers, String eventType, String stepKey) {
    assertThat(EventHeaders.eventType(headers)).contains(eventType);
    assertThat(EventHeaders.runId(headers)).contains(Fixtures.RUN_ID);
    assertThat(EventHeaders.stepKey(headers)).isEqualTo(java.util.Optional.ofNullable(stepKey));
  }

  private static Object instantiate(String className) throws Exception {
    return Class.forName(className).getDeclaredConstructor().newInstance();
  }
}
