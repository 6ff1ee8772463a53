package io.opflow.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rules see every module: a module added to the build must be added to {@link OpflowModule}.
 */
class ModuleListTest {
  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

  @Test
  void everyModuleOfTheBuildIsKnownToTheRules() throws IOException {
    String parent = Files.readString(CompiledModules.root().resolve("pom.xml"));
    List<String> built = MODULE.matcher(parent).results().map(m -> m.group(1)).toList();

    Stream<String> known = Arrays.stream(OpflowModule.values()).map(OpflowModule::directory);

    assertThat(built)
        .containsExactlyInAnyOrderElementsOf(
            Stream.concat(known, Stream.of("architecture-tests")).toList());
  }
}
