package io.opflow.schemas;

import static io.opflow.schemas.ContractKind.PUBLIC_CONTRACT;
import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.schemas.internal.SingleObjectCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every released schema version (each folder under the released root) against the current schemas,
 * by Avro's rules and by a real encode/decode, with the promise of each {@link ContractKind}: the
 * current schema reads every released writer, whatever the kind; a released reader reads the
 * current writer only for the public contract (the internal protocol upgrades readers first).
 */
class SchemaCompatibilityTest {

  private static final Path RELEASED = Path.of("src/main/resources").resolve(ReleasedSchemas.ROOT);

  static Stream<Arguments> releasedSchemas() throws IOException {
    List<Arguments> out = new ArrayList<>();
    for (String version : versionFolders()) {
      try (Stream<Path> files = Files.list(RELEASED.resolve(version))) {
        files
            .map(f -> f.getFileName().toString().replace(".avsc", ""))
            .sorted()
            .forEach(name -> out.add(Arguments.of(version, name)));
      }
    }
    return out.stream();
  }

  /** The released schemas promised to be read by released readers too: the public contract. */
  static Stream<Arguments> releasedPublicSchemas() throws IOException {
    return releasedSchemas().filter(a -> kindOf((String) a.get()[1]) == PUBLIC_CONTRACT);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("releasedSchemas")
  void everyReleasedSchemaHasAContractKind(String version, String name) {
    assertThat(ContractKind.ofTopLevelSchema(name))
        .as("%s/%s.avsc names no top-level schema of a ContractKind", version, name)
        .isPresent();
  }

  @Test
  void theContractKindsNameEveryCurrentSchemaOnce() {
    List<String> named =
        Stream.of(ContractKind.values()).flatMap(k -> k.topLevelSchemas().stream()).toList();
    assertThat(named)
        .containsExactlyInAnyOrder("StepEvent", "HookEvent", "RunEvent", "StepTask", "RunCommand");
    for (String name : named) {
      assertThat(currentSchema(name).getNamespace()).as(name).isEqualTo(kindOf(name).namespace());
    }
  }

  @Test
  void everyVersionFolderIsListedInTheIndex() throws IOException {
    assertThat(ReleasedSchemas.versions()).containsExactlyInAnyOrderElementsOf(versionFolders());
    assertThat(ReleasedSchemas.versions()).contains("v1");
  }

  @Test
  void theCheckCatchesANewFieldWithoutDefault() {
    Schema current = OpflowSerdes.stepTasks().schema();
    String extra = "{\"name\":\"extra\",\"type\":\"string\",\"doc\":\"x\"},";
    Schema broken =
        new Schema.Parser().parse(current.toString().replaceFirst("\"fields\":\\[", "$0" + extra));
    var result = SchemaCompatibility.checkReaderWriterCompatibility(broken, current);
    assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("releasedSchemas")
  void currentReadsTheReleasedSchema(String version, String name) {
    Schema released = ReleasedSchemas.schema(version, name).orElseThrow();
    assertCompatible(currentSchema(name), released);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("releasedPublicSchemas")
  void releasedReadsTheCurrentSchemaOfThePublicContract(String version, String name) {
    Schema released = ReleasedSchemas.schema(version, name).orElseThrow();
    assertCompatible(released, currentSchema(name));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("releasedSchemas")
  void serdeKnowsTheReleasedFingerprint(String version, String name) {
    Schema released = ReleasedSchemas.schema(version, name).orElseThrow();
    long fingerprint = SingleObjectCodec.fingerprint(released);
    assertThat(serde(name).knowsFingerprint(fingerprint)).isTrue();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("releasedSchemas")
  void currentReadsRecordsWrittenWithTheReleasedSchema(String version, String name)
      throws IOException {
    Schema released = ReleasedSchemas.schema(version, name).orElseThrow();
    AvroEventSerde<SpecificRecord> serde = serde(name);
    for (SpecificRecord event : fixtures(name)) {
      GenericRecord asReleased = convert(serde.serialize("t", event), serde.schema(), released);
      ByteArrayOutputStream written = new ByteArrayOutputStream();
      new BinaryMessageEncoder<GenericRecord>(GenericData.get(), released)
          .encode(asReleased, written);
      SpecificRecord read = serde.deserialize("t", written.toByteArray());
      if (sameSchema(released, serde.schema())) {
        assertThat(read).isEqualTo(event);
      } else {
        assertThat(String.valueOf(runIdOf(read))).isEqualTo(Fixtures.RUN_ID);
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("releasedPublicSchemas")
  void releasedReadsRecordsWrittenWithTheCurrentSchemaOfThePublicContract(
      String version, String name) throws IOException {
    Schema released = ReleasedSchemas.schema(version, name).orElseThrow();
    AvroEventSerde<SpecificRecord> serde = serde(name);
    SchemaStore.Cache store = new SchemaStore.Cache();
    store.addSchema(serde.schema());
    BinaryMessageDecoder<GenericRecord> oldReader =
        new BinaryMessageDecoder<>(GenericData.get(), released, store);
    for (SpecificRecord event : fixtures(name)) {
      GenericRecord read = oldReader.decode(serde.serialize("t", event));
      assertThat(read.getSchema()).isEqualTo(released);
      assertThat(String.valueOf(runIdOf(read))).isEqualTo(Fixtures.RUN_ID);
    }
  }

  private static Object runIdOf(org.apache.avro.generic.IndexedRecord record) {
    Schema.Field runId = record.getSchema().getField("runId");
    if (runId != null) {
      return record.get(runId.pos());
    }
    return runIdOf((org.apache.avro.generic.IndexedRecord) record.get(0));
  }

  private static boolean sameSchema(Schema a, Schema b) {
    return SingleObjectCodec.fingerprint(a) == SingleObjectCodec.fingerprint(b);
  }

  private static GenericRecord convert(byte[] singleObject, Schema writer, Schema reader)
      throws IOException {
    ByteBuffer body = ByteBuffer.wrap(singleObject, 10, singleObject.length - 10);
    return new GenericDatumReader<GenericRecord>(writer, reader)
        .read(null, DecoderFactory.get().binaryDecoder(body.array(), 10, body.remaining(), null));
  }

  private static void assertCompatible(Schema reader, Schema writer) {
    var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    assertThat(result.getType())
        .as("%s reading %s: %s", reader.getName(), writer.getName(), result.getDescription())
        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }

  @SuppressWarnings("unchecked")
  private static AvroEventSerde<SpecificRecord> serde(String name) {
    return (AvroEventSerde<SpecificRecord>) (AvroEventSerde<?>) serdeOf(name);
  }

  private static AvroEventSerde<? extends SpecificRecord> serdeOf(String name) {
    return switch (name) {
      case "StepEvent" -> OpflowSerdes.stepEvents();
      case "StepTask" -> OpflowSerdes.stepTasks();
      case "RunCommand" -> OpflowSerdes.runCommands();
      case "HookEvent" -> OpflowSerdes.hookEvents();
      case "RunEvent" -> OpflowSerdes.runEvents();
      default -> throw new IllegalArgumentException("No serde for released schema " + name);
    };
  }

  private static ContractKind kindOf(String name) {
    return ContractKind.ofTopLevelSchema(name).orElseThrow();
  }

  private static Schema currentSchema(String name) {
    return serdeOf(name).schema();
  }

  private static List<? extends SpecificRecord> fixtures(String name) {
    return Fixtures.everyEvent().stream()
        .filter(e -> e.getSchema().getName().equals(name))
        .toList();
  }

  private static List<String> versionFolders() throws IOException {
    try (Stream<Path> dirs = Files.list(RELEASED)) {
      return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).toList();
    }
  }
}
