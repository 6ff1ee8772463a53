package io.opflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The conventions of the schemas: docs everywhere, times as timestamp-millis, one namespace per
 * contract kind.
 */
class SchemaConventionsTest {

  private static final List<Schema> TOP_LEVEL =
      List.of(
          OpflowSerdes.stepEvents().schema(),
          OpflowSerdes.stepTasks().schema(),
          OpflowSerdes.runCommands().schema(),
          OpflowSerdes.hookEvents().schema(),
          OpflowSerdes.runEvents().schema());

  @Test
  void everyRecordAndFieldHasADoc() {
    List<String> undocumented = new ArrayList<>();
    for (Schema record : records()) {
      if (record.getDoc() == null) {
        undocumented.add(record.getName());
      }
      record.getFields().stream()
          .filter(f -> f.doc() == null || f.doc().isBlank())
          .forEach(f -> undocumented.add(record.getName() + "." + f.name()));
    }
    assertThat(undocumented).isEmpty();
  }

  @Test
  void timesAreTimestampMillis() {
    for (Schema record : records()) {
      for (Schema.Field field : record.getFields()) {
        if (field.name().endsWith("At") || field.name().equals("timestamp")) {
          assertThat(nonNull(field.schema()).getLogicalType())
              .as(record.getName() + "." + field.name())
              .isEqualTo(LogicalTypes.timestampMillis());
        }
      }
    }
  }

  @Test
  void everyRecordIsInTheNamespaceOfAContractKind() {
    // Which kind uses which namespace, and that they stay apart: ProtocolNamespaceTest.
    Set<String> namespaces = new HashSet<>();
    for (ContractKind kind : ContractKind.values()) {
      namespaces.add(kind.namespace());
    }
    assertThat(records()).allSatisfy(r -> assertThat(namespaces).contains(r.getNamespace()));
  }

  // A nullable field's type is a union of null and the type; the convention is about the type.
  private static Schema nonNull(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    List<Schema> types =
        schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
    return types.size() == 1 ? types.get(0) : schema;
  }

  private static Set<Schema> records() {
    Set<Schema> seen = new HashSet<>();
    TOP_LEVEL.forEach(s -> collect(s, seen));
    return seen;
  }

  private static void collect(Schema schema, Set<Schema> seen) {
    switch (schema.getType()) {
      case RECORD -> {
        if (seen.add(schema)) {
          schema.getFields().forEach(f -> collect(f.schema(), seen));
        }
      }
      case UNION -> schema.getTypes().forEach(t -> collect(t, seen));
      case ARRAY -> collect(schema.getElementType(), seen);
      case MAP -> collect(schema.getValueType(), seen);
      default -> {}
    }
  }
}
