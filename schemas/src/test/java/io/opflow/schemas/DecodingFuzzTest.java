package io.opflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Hostile and damaged bytes must end in {@link EventDecodingException}: never another exception,
 * never an out-of-memory error, never a hang.
 */
class DecodingFuzzTest {

  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final long SEED = 20261126L;
  private static final Map<String, AvroEventSerde<SpecificRecord>> SERDES =
      new ConcurrentHashMap<>();

  @Test
  void randomBytesAreRefused() {
    Random random = new Random(SEED);
    AvroEventSerde<?> serde = OpflowSerdes.stepEvents();
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          for (int i = 0; i < 5_000; i++) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            assertThatThrownBy(() -> serde.deserialize("fuzz", bytes))
                .isInstanceOf(EventDecodingException.class);
          }
        });
  }

  @Test
  void everyTruncationOfEveryEventIsRefused() {
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          for (SpecificRecord event : Fixtures.everyEvent()) {
            AvroEventSerde<SpecificRecord> serde = serdeFor(event);
            byte[] bytes = serde.serialize("fuzz", event);
            for (int length = 0; length < bytes.length; length++) {
              byte[] cut = Arrays.copyOf(bytes, length);
              assertThatThrownBy(() -> serde.deserialize("fuzz", cut))
                  .isInstanceOf(EventDecodingException.class);
            }
          }
        });
  }

  @Test
  void randomBodiesBehindAValidHeaderDecodeOrAreRefused() {
    assertTimeoutPreemptively(LIMIT, () -> mutate(true));
  }

  @Test
  void mutatedEventsDecodeOrAreRefused() {
    assertTimeoutPreemptively(LIMIT, () -> mutate(false));
  }

  private static void mutate(boolean replaceWholeBody) {
    Random random = new Random(SEED);
    List<SpecificRecord> events = Fixtures.everyEvent();
    for (int i = 0; i < 20_000; i++) {
      SpecificRecord event = events.get(random.nextInt(events.size()));
      AvroEventSerde<SpecificRecord> serde = serdeFor(event);
      byte[] bytes = serde.serialize("fuzz", event);
      byte[] damaged = replaceWholeBody ? randomBody(bytes, random) : flip(bytes, random);
      decodeOrRefuse(serde, damaged);
    }
  }

  private static void decodeOrRefuse(AvroEventSerde<SpecificRecord> serde, byte[] bytes) {
    try {
      assertThat(serde.deserialize("fuzz", bytes)).isNotNull();
    } catch (EventDecodingException expected) {
      assertThat(expected).hasMessageContaining("fuzz");
    }
  }

  private static byte[] randomBody(byte[] valid, Random random) {
    byte[] bytes = Arrays.copyOf(valid, 10 + random.nextInt(valid.length));
    byte[] body = new byte[bytes.length - 10];
    random.nextBytes(body);
    System.arraycopy(body, 0, bytes, 10, body.length);
    return bytes;
  }

  private static byte[] flip(byte[] valid, Random random) {
    byte[] bytes = valid.clone();
    int flips = 1 + random.nextInt(4);
    for (int f = 0; f < flips; f++) {
      int at = 10 + random.nextInt(bytes.length - 10);
      bytes[at] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  private static AvroEventSerde<SpecificRecord> serdeFor(SpecificRecord event) {
    return SERDES.computeIfAbsent(event.getSchema().getName(), DecodingFuzzTest::newSerde);
  }

  @SuppressWarnings("unchecked")
  private static AvroEventSerde<SpecificRecord> newSerde(String name) {
    AvroEventSerde<?> serde =
        switch (name) {
          case "StepEvent" -> OpflowSerdes.stepEvents();
          case "StepTask" -> OpflowSerdes.stepTasks();
          case "RunCommand" -> OpflowSerdes.runCommands();
          case "HookEvent" -> OpflowSerdes.hookEvents();
          default -> OpflowSerdes.runEvents();
        };
    return (AvroEventSerde<SpecificRecord>) serde;
  }
}
