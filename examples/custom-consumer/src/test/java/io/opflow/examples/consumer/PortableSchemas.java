package io.opflow.examples.consumer;

import io.opflow.events.HookEvent;
import io.opflow.events.RunEvent;
import io.opflow.events.StepEvent;
import io.opflow.protocol.RunCommand;
import io.opflow.protocol.StepTask;
import io.opflow.schemas.ReleasedSchemas;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.SchemaNormalization;

/**
 * Makes what a consumer in another language needs to read Opflow's events, from the schemas this
 * build writes with and every released version: each top-level schema as one self-contained file
 * (named types inlined where first used), and a file of the fingerprint of every one of them, as it
 * appears in a record. Both ship in {@code opflow-schemas} under {@code io/opflow/schemas/}.
 */
final class PortableSchemas {
  /** Top-level schemas, as their generated classes hold them. */
  static final List<Schema> CURRENT =
      List.of(
          RunCommand.getClassSchema(),
          StepTask.getClassSchema(),
          StepEvent.getClassSchema(),
          HookEvent.getClassSchema(),
          RunEvent.getClassSchema());

  private PortableSchemas() {}

  /**
   * Returns every file to ship, by path under {@code io/opflow/schemas/}.
   *
   * @return path to content
   */
  static Map<String, String> files() {
    Map<String, String> files = new LinkedHashMap<>();
    for (Schema schema : CURRENT) {
      files.put(currentFile(schema), SchemaFormatter.format("json/pretty", schema) + "\n");
    }
    files.put("fingerprints.json", fingerprintsJson());
    return files;
  }

  /**
   * Returns the fingerprint of a schema as its 8 bytes appear in a record, in hex.
   *
   * @param schema the writer schema
   * @return 16 hex digits
   */
  static String fingerprintHex(Schema schema) {
    long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    byte[] bytes =
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(fingerprint).array();
    return HexFormat.of().formatHex(bytes);
  }

  private static String currentFile(Schema schema) {
    return "current/" + schema.getName() + ".avsc";
  }

  private record Entry(String fingerprint, String name, List<String> versions, String file) {}

  private static String fingerprintsJson() {
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (String version : ReleasedSchemas.versions()) {
      for (Schema current : CURRENT) {
        ReleasedSchemas.schema(version, current.getName())
            .ifPresent(
                released ->
                    add(
                        entries,
                        released,
                        version,
                        "released/" + version + "/" + current.getName() + ".avsc"));
      }
    }
    CURRENT.forEach(schema -> add(entries, schema, "current", currentFile(schema)));
    StringBuilder json = new StringBuilder();
    json.append("{\n")
        .append("  \"about\": \"Every schema an Opflow writer may use, by the fingerprint that")
        .append(" follows the marker C3 01 in a record (Avro single-object encoding): its 8 bytes")
        .append(" in record order, in hex. Compute none yourself: look the 8 bytes up here, parse")
        .append(" the file (relative to this one; each is self-contained) and decode the rest of")
        .append(" the record with it. 'current' is what this build writes.\",\n")
        .append("  \"schemas\": [\n");
    List<String> lines = new ArrayList<>();
    for (Entry e : entries.values()) {
      lines.add(
          "    {\"fingerprint\": \""
              + e.fingerprint()
              + "\", \"name\": \""
              + e.name()
              + "\", \"versions\": ["
              + String.join(", ", e.versions().stream().map(v -> "\"" + v + "\"").toList())
              + "], \"file\": \""
              + e.file()
              + "\"}");
    }
    json.append(String.join(",\n", lines)).append("\n  ]\n}\n");
    return json.toString();
  }

  private static void add(Map<String, Entry> entries, Schema schema, String version, String file) {
    String fingerprint = fingerprintHex(schema);
    Entry known = entries.get(fingerprint);
    if (known == null) {
      entries.put(
          fingerprint,
          new Entry(fingerprint, schema.getFullName(), new ArrayList<>(List.of(version)), file));
    } else {
      known.versions().add(version);
    }
  }
}
