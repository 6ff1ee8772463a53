package io.opflow.schemas;

import static io.opflow.schemas.ContractKind.INTERNAL_PROTOCOL;
import static io.opflow.schemas.ContractKind.PUBLIC_CONTRACT;
import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.events.HookKind;
import io.opflow.protocol.ChainedStep;
import io.opflow.protocol.HookRef;
import io.opflow.protocol.InputBinding;
import io.opflow.protocol.JobSnapshot;
import io.opflow.protocol.NodeSnapshot;
import io.opflow.protocol.RetryPolicySnapshot;
import io.opflow.protocol.RunCancelRequested;
import io.opflow.protocol.RunCommand;
import io.opflow.protocol.RunRequested;
import io.opflow.protocol.StepTask;
import io.opflow.schemas.internal.SingleObjectCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * The internal protocol ({@code StepTask}, {@code RunCommand}) lives in {@code io.opflow.protocol},
 * apart from the public contract in {@code io.opflow.events}: neither contract depends on the
 * protocol, and records written before the move (the released v2 schemas, in {@code
 * io.opflow.events}) still decode into the new classes, through the aliases the moved types keep.
 */
class ProtocolNamespaceTest {

  private static final String OLD_NAMESPACE = "io.opflow.events";
  private static final long AT_MILLIS = Fixtures.AT.toEpochMilli();

  @Test
  void aStepTaskWrittenWithReleasedV2DecodesIntoTheProtocolClass() throws IOException {
    Schema released = releasedV2("StepTask");
    Schema chained = released.getField("chain").schema().getElementType();
    GenericRecord written =
        record(
            released,
            Map.ofEntries(
                Map.entry("runId", Fixtures.RUN_ID),
                Map.entry("jobName", "etl"),
                Map.entry("stepKey", "b"),
                Map.entry("opName", "load"),
                Map.entry("attempt", 2),
                Map.entry("inputsJson", Map.of("rows", "[1,2,3]")),
                Map.entry("runConfigJson", "{\"ops\":{}}"),
                Map.entry("codeVersion", "1.4.2"),
                Map.entry("leaseMillis", 30_000L),
                Map.entry("issuedAt", AT_MILLIS),
                Map.entry(
                    "chain",
                    List.of(
                        record(
                            chained,
                            Map.of(
                                "stepKey", "c",
                                "opName", "report",
                                "inputs", Map.of("table", "result")))))));

    Object read = OpflowSerdes.stepTasks().deserialize("t", singleObject(released, written));

    assertThat(read)
        .isInstanceOf(StepTask.class)
        .isEqualTo(
            new StepTask(
                Fixtures.RUN_ID,
                "etl",
                "b",
                "load",
                2,
                Map.of("rows", "[1,2,3]"),
                "{\"ops\":{}}",
                "1.4.2",
                30_000L,
                Fixtures.AT,
                List.of(new ChainedStep("c", "report", Map.of("table", "result")))));
    assertThat(((StepTask) read).getChain().get(0)).isInstanceOf(ChainedStep.class);
  }

  @Test
  void aRunRequestedWrittenWithReleasedV2DecodesIntoTheProtocolClasses() throws IOException {
    Schema released = releasedV2("RunCommand");
    Schema payload = released.getField("payload").schema();
    Schema requested = branch(payload, "RunRequested");
    Schema job = requested.getField("job").schema();
    Schema node = job.getField("nodes").schema().getElementType();
    Schema binding = node.getField("upstream").schema().getElementType();
    Schema hookRef = node.getField("hooks").schema().getElementType();
    Schema retry = node.getField("retryPolicy").schema();
    GenericRecord retryPolicy =
        record(
            retry,
            Map.of(
                "maxRetries",
                3,
                "delayMillis",
                500L,
                "backoffMultiplier",
                2.0,
                "retryOn",
                List.of("java.io.IOException")));
    GenericRecord nodeB =
        record(
            node,
            Map.of(
                "stepKey",
                "b",
                "opName",
                "load",
                "upstream",
                List.of(
                    record(
                        binding,
                        Map.of("inputName", "rows", "fromStepKey", "a", "fromOutput", "result"))),
                "hooks",
                List.of(
                    record(
                        hookRef,
                        Map.of(
                            "name",
                            "slack",
                            "kind",
                            new GenericData.EnumSymbol(
                                hookRef.getField("kind").schema(), "FAILURE"),
                            "retryHook",
                            true))),
                "retryPolicy",
                retryPolicy,
                "tags",
                Map.of("team", "data")));
    GenericRecord written =
        record(
            released,
            Map.of(
                "payload",
                record(
                    requested,
                    Map.of(
                        "runId",
                        Fixtures.RUN_ID,
                        "jobName",
                        "etl",
                        "runConfigJson",
                        "{}",
                        "requestedAt",
                        AT_MILLIS,
                        "tags",
                        Map.of("origin", "test"),
                        "job",
                        record(
                            job,
                            Map.of(
                                "jobName", "etl",
                                "codeVersion", "1.4.2",
                                "nodes", List.of(nodeB)))))));

    RunCommand read = OpflowSerdes.runCommands().deserialize("t", singleObject(released, written));

    NodeSnapshot expectedNode =
        new NodeSnapshot(
            "b",
            "load",
            List.of(new InputBinding("rows", "a", "result")),
            List.of(new HookRef("slack", HookKind.FAILURE, true)),
            new RetryPolicySnapshot(3, 500L, 2.0, List.of("java.io.IOException")),
            Map.of("team", "data"));
    assertThat(read)
        .isEqualTo(
            new RunCommand(
                new RunRequested(
                    Fixtures.RUN_ID,
                    "etl",
                    "{}",
                    Fixtures.AT,
                    Map.of("origin", "test"),
                    new JobSnapshot("etl", "1.4.2", List.of(expectedNode)),
                    null)));
    assertThat(read.getPayload()).isInstanceOf(RunRequested.class);
  }

  @Test
  void aRunCancelRequestedWrittenWithReleasedV2DecodesIntoTheProtocolClass() throws IOException {
    Schema released = releasedV2("RunCommand");
    Schema canceled = branch(released.getField("payload").schema(), "RunCancelRequested");
    GenericRecord written =
        record(
            released,
            Map.of(
                "payload",
                record(
                    canceled,
                    Map.of(
                        "runId",
                        Fixtures.RUN_ID,
                        "reason",
                        "operator asked",
                        "requestedAt",
                        AT_MILLIS))));

    RunCommand read = OpflowSerdes.runCommands().deserialize("t", singleObject(released, written));

    assertThat(read.getPayload())
        .isInstanceOf(RunCancelRequested.class)
        .isEqualTo(new RunCancelRequested(Fixtures.RUN_ID, "operator asked", Fixtures.AT));
  }

  @Test
  void thePublicContractUsesNoTypeOfTheProtocol() {
    for (String name : PUBLIC_CONTRACT.topLevelSchemas()) {
      assertThat(namedTypes(current(name)).keySet())
          .as("named types of %s", name)
          .allSatisfy(type -> assertThat(namespaceOf(type)).isEqualTo(PUBLIC_CONTRACT.namespace()));
    }
  }

  @Test
  void theProtocolDefinesItsTypesInItsOwnNamespaceAndUsesOnlySharedPublicOnes() {
    Set<String> publicTypes = new HashSet<>();
    PUBLIC_CONTRACT
        .topLevelSchemas()
        .forEach(n -> publicTypes.addAll(namedTypes(current(n)).keySet()));
    for (String name : INTERNAL_PROTOCOL.topLevelSchemas()) {
      Schema schema = current(name);
      assertThat(schema.getNamespace()).isEqualTo(INTERNAL_PROTOCOL.namespace());
      for (String type : namedTypes(schema).keySet()) {
        if (!namespaceOf(type).equals(INTERNAL_PROTOCOL.namespace())) {
          assertThat(publicTypes)
              .as("%s uses %s, which is neither a protocol type nor a public one", name, type)
              .contains(type);
        }
      }
    }
  }

  @Test
  void everyProtocolTypeReleasedInTheOldNamespaceKeepsItsOldNameAsAnAlias() {
    for (String name : INTERNAL_PROTOCOL.topLevelSchemas()) {
      Map<String, Schema> current = namedTypes(current(name));
      Set<String> released = new TreeSet<>();
      ReleasedSchemas.allVersionsOf(name).forEach(s -> released.addAll(namedTypes(s).keySet()));
      assertThat(released).as("released types of %s", name).isNotEmpty();
      for (String old : released) {
        String simple = old.substring(old.lastIndexOf('.') + 1);
        Schema moved = current.get(INTERNAL_PROTOCOL.namespace() + "." + simple);
        if (moved != null) {
          assertThat(moved.getAliases()).as("aliases of %s", moved.getFullName()).contains(old);
        } else {
          // Not moved: a shared public type, or a type the current schema no longer has.
          assertThat(namespaceOf(old)).isEqualTo(OLD_NAMESPACE);
        }
      }
    }
  }

  /**
   * Avro's Java resolver matches a nested record by position and a union branch by structure, so it
   * would decode even without the aliases; the Avro specification (and readers in other languages)
   * match by name after applying the reader's aliases. This checks that stricter rule.
   */
  @Test
  void everyReleasedProtocolTypeResolvesByNameThroughTheAliases() {
    for (String name : INTERNAL_PROTOCOL.topLevelSchemas()) {
      Schema current = current(name);
      Set<String> currentTypes = namedTypes(current).keySet();
      for (Schema released : ReleasedSchemas.allVersionsOf(name)) {
        Schema renamed = Schema.applyAliases(released, current);
        assertThat(currentTypes)
            .as("types of released %s after applying the aliases of the current one", name)
            .containsAll(namedTypes(renamed).keySet());
      }
    }
  }

  /**
   * Why the protocol promises one direction only: a released reader names the old types and has no
   * alias for the new ones, so by the specification's rule it cannot resolve a record the current
   * writer wrote (an Opflow serde of a released version also refuses its unknown fingerprint).
   * Hence a rolling upgrade moves the readers of a protocol topic first.
   */
  @Test
  void aReleasedProtocolReaderCannotResolveTheCurrentWriterByName() {
    for (String name : INTERNAL_PROTOCOL.topLevelSchemas()) {
      Schema released = releasedV2(name);
      Schema renamed = Schema.applyAliases(current(name), released);
      assertThat(renamed.getFullName()).isNotEqualTo(released.getFullName());
    }
  }

  @Test
  void theReleasedV2ProtocolSchemasAreInTheOldNamespace() {
    // What the decoding tests above rely on: v2 is a release from before the move.
    assertThat(releasedV2("StepTask").getFullName()).isEqualTo(OLD_NAMESPACE + ".StepTask");
    assertThat(releasedV2("RunCommand").getFullName()).isEqualTo(OLD_NAMESPACE + ".RunCommand");
  }

  private static Schema releasedV2(String name) {
    return ReleasedSchemas.schema("v2", name).orElseThrow();
  }

  private static Schema current(String name) {
    return switch (name) {
      case "StepEvent" -> OpflowSerdes.stepEvents().schema();
      case "HookEvent" -> OpflowSerdes.hookEvents().schema();
      case "RunEvent" -> OpflowSerdes.runEvents().schema();
      case "StepTask" -> OpflowSerdes.stepTasks().schema();
      case "RunCommand" -> OpflowSerdes.runCommands().schema();
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static Schema branch(Schema union, String simpleName) {
    return union.getTypes().get(union.getIndexNamed(OLD_NAMESPACE + "." + simpleName));
  }

  private static GenericRecord record(Schema schema, Map<String, ?> fields) {
    GenericData.Record record = new GenericData.Record(schema);
    fields.forEach(record::put);
    for (Schema.Field field : schema.getFields()) {
      assertThat(fields).as("test record of %s", schema.getName()).containsKey(field.name());
    }
    return record;
  }

  /** Encodes as an Opflow writer of the released schema did: single-object, its fingerprint. */
  private static byte[] singleObject(Schema released, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), released).encode(record, out);
    byte[] bytes = out.toByteArray();
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(fingerprint).isEqualTo(SingleObjectCodec.fingerprint(released));
    return bytes;
  }

  private static String namespaceOf(String fullName) {
    return fullName.substring(0, fullName.lastIndexOf('.'));
  }

  /** Every named type (record, enum, fixed) a schema defines or uses, by full name. */
  private static Map<String, Schema> namedTypes(Schema schema) {
    Map<String, Schema> seen = new TreeMap<>();
    collect(schema, seen);
    return seen;
  }

  private static void collect(Schema schema, Map<String, Schema> seen) {
    switch (schema.getType()) {
      case RECORD -> {
        if (seen.putIfAbsent(schema.getFullName(), schema) == null) {
          schema.getFields().forEach(f -> collect(f.schema(), seen));
        }
      }
      case ENUM, FIXED -> seen.putIfAbsent(schema.getFullName(), schema);
      case UNION -> schema.getTypes().forEach(t -> collect(t, seen));
      case ARRAY -> collect(schema.getElementType(), seen);
      case MAP -> collect(schema.getValueType(), seen);
      default -> {}
    }
  }
}
