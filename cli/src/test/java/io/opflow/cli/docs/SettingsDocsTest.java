package io.opflow.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opflow.coordinator.CoordinatorConfig;
import io.opflow.hooks.HooksRunnerConfig;
import io.opflow.runtime.RuntimeConfig;
import io.opflow.worker.WorkerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.junit.jupiter.api.Test;

/**
 * The settings tables of {@code docs/roles.md} and {@code docs/coordinator.md} are generated from
 * the roles' {@link ConfigDef}s; this test fails when they are not current. Run it with {@code
 * -Dopflow.docs.write=true} to rewrite them.
 */
class SettingsDocsTest {
  static final Path DOCS = Path.of("..", "docs");

  static final String REGENERATE =
      "mvn -B -o verify -pl cli -am -Dtest=SettingsDocsTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dopflow.docs.write=true";

  /** A section of a document: the file and the marker name, with the table that belongs there. */
  record Section(String file, String marker, String table) {}

  static List<Section> sections() {
    Set<String> shared = RuntimeConfig.baseConfigDef().names();
    return List.of(
        new Section(
            "roles.md", "runtime", ConfigDocs.table(RuntimeConfig.baseConfigDef(), Set.of())),
        new Section("roles.md", "worker", ConfigDocs.table(WorkerConfig.configDef(), shared)),
        new Section(
            "roles.md", "hooks-runner", ConfigDocs.table(HooksRunnerConfig.configDef(), shared)),
        new Section(
            "coordinator.md",
            "coordinator",
            ConfigDocs.table(CoordinatorConfig.configDef(), Set.of())));
  }

  @Test
  void theSettingsTablesAreGeneratedFromTheConfigDefs() throws IOException {
    if (Boolean.getBoolean("opflow.docs.write")) {
      for (Map.Entry<String, String> document : expectedDocuments().entrySet()) {
        Files.writeString(DOCS.resolve(document.getKey()), document.getValue());
      }
    }
    for (Section section : sections()) {
      String current = Files.readString(DOCS.resolve(section.file()));
      assertThat(ConfigDocs.section(current, section.marker()))
          .as(
              "the %s settings in docs/%s are not current with its ConfigDef; regenerate them with %s",
              section.marker(), section.file(), REGENERATE)
          .isEqualTo(section.table());
    }
  }

  private static Map<String, String> expectedDocuments() throws IOException {
    Map<String, String> documents = new LinkedHashMap<>();
    for (Section section : sections()) {
      String current =
          documents.containsKey(section.file())
              ? documents.get(section.file())
              : Files.readString(DOCS.resolve(section.file()));
      documents.put(
          section.file(), ConfigDocs.replaceSection(current, section.marker(), section.table()));
    }
    return documents;
  }

  @Test
  void aTableShowsEachKeysTypeDefaultValidValuesImportanceAndDoc() {
    ConfigDef definition =
        new ConfigDef()
            .define("a.servers", Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, "Where.")
            .define(
                "a.size", Type.INT, 4, Range.between(1, 8), Importance.LOW, "Size | count, * any.")
            .define("a.name", Type.STRING, "", Importance.MEDIUM, "Name.")
            .define("a.shared", Type.BOOLEAN, true, Importance.LOW, "Left out.");

    assertThat(ConfigDocs.table(definition, Set.of("a.shared")))
        .isEqualTo(
            """
            | key | type | default | valid values | importance | description |
            | --- | --- | --- | --- | --- | --- |
            | `a.servers` | list | (required) |  | high | Where. |
            | `a.size` | int | `4` | [1,...,8] | low | Size \\| count, \\* any. |
            | `a.name` | string | (empty) |  | medium | Name. |
            """);
  }

  @Test
  void aSectionIsReplacedBetweenItsMarkersOnly() {
    String document =
        """
        intro
        <!-- settings:w:start -->
        old
        <!-- settings:w:end -->
        rest
        <!-- settings:h:start -->
        kept
        <!-- settings:h:end -->
        """;

    assertThat(ConfigDocs.replaceSection(document, "w", "new\n"))
        .isEqualTo(
            """
            intro
            <!-- settings:w:start -->
            new
            <!-- settings:w:end -->
            rest
            <!-- settings:h:start -->
            kept
            <!-- settings:h:end -->
            """);
    assertThat(ConfigDocs.section(document, "h")).isEqualTo("kept\n");
    assertThatThrownBy(() -> ConfigDocs.replaceSection(document, "x", "new\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("settings:x:start");
  }
}
