package io.opflow.examples.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.ReleasedSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The self-contained schemas and the fingerprints file that {@code opflow-schemas} ships for
 * consumers in other languages match the schemas: a schema change that forgets them fails here. Run
 * with {@code -Dopflow.schemas.write=true} to rewrite them.
 */
class PortableSchemasTest {
  static final Path SHIPPED =
      Path.of("..", "..", "schemas", "src", "main", "resources", "io", "opflow", "schemas");

  @Test
  void theShippedFilesAreThoseTheSchemasMake() throws IOException {
    Map<String, String> expected = PortableSchemas.files();
    if (Boolean.getBoolean("opflow.schemas.write")) {
      write(expected);
    }
    for (Map.Entry<String, String> file : expected.entrySet()) {
      Path path = SHIPPED.resolve(file.getKey());
      assertThat(path)
          .as(
              "%s is out of date: run mvn -B -pl examples/custom-consumer -am verify"
                  + " -Dtest=PortableSchemasTest -Dsurefire.failIfNoSpecifiedTests=false"
                  + " -Dopflow.schemas.write=true",
              path)
          .exists()
          .hasContent(file.getValue());
    }
    try (Stream<Path> current = Files.list(SHIPPED.resolve("current"))) {
      assertThat(current.map(p -> "current/" + p.getFileName()))
          .allMatch(expected::containsKey, "a current schema that is no longer written");
    }
  }

  @Test
  void eachShippedFileParsesOnItsOwnAndEveryReleasedFingerprintIsListed() throws IOException {
    String fingerprints = Files.readString(SHIPPED.resolve("fingerprints.json"));
    for (String version : ReleasedSchemas.versions()) {
      for (Schema current : PortableSchemas.CURRENT) {
        ReleasedSchemas.schema(version, current.getName())
            .ifPresent(s -> assertThat(fingerprints).contains(PortableSchemas.fingerprintHex(s)));
      }
    }
    for (Schema current : PortableSchemas.CURRENT) {
      Path file = SHIPPED.resolve("current").resolve(current.getName() + ".avsc");
      Schema parsed = new Schema.Parser().parse(file.toFile());
      assertThat(PortableSchemas.fingerprintHex(parsed))
          .isEqualTo(PortableSchemas.fingerprintHex(current));
    }
    assertThat(OpflowSerdes.stepEvents().schema()).isEqualTo(PortableSchemas.CURRENT.get(2));
  }

  private static void write(Map<String, String> files) throws IOException {
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path path = SHIPPED.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue());
    }
  }
}
