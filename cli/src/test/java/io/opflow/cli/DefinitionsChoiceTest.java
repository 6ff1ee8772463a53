package io.opflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.cli.Cli.Result;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which definitions the commands load, with a user's definitions jar built by the test on the class
 * path next to Opflow's example (which is on this module's class path, registered, as it is in a
 * development build). {@code submit} with an unknown job shows which jobs were loaded without
 * needing a broker: it checks the job before connecting.
 */
@Timeout(60)
class DefinitionsChoiceTest {
  private static final String NO_BROKER = "127.0.0.1:9";

  @TempDir Path dir;

  @Test
  void theUsersJarIsLoadedByDefaultAndTheExampleIsNot() throws Exception {
    Path jar = DefinitionsJars.build(dir, "LedgerDefinitions", "ledger_demo");

    try (URLClassLoader loader = DefinitionsJars.loader(jar)) {
      Result r = Cli.run(loader, "submit", "-b", NO_BROKER, "--job", "nope");

      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).contains("unknown job 'nope'; known jobs: ledger_demo");
      assertThat(r.err()).doesNotContain("notif_all_dev", "DefinitionsProvider registered");
    }
  }

  @Test
  void theExampleIsLoadedWhenAskedFor() throws Exception {
    Path jar = DefinitionsJars.build(dir, "LedgerDefinitions", "ledger_demo");

    try (URLClassLoader loader = DefinitionsJars.loader(jar)) {
      Result r = Cli.run(loader, "submit", "-b", NO_BROKER, "--job", "nope", "--example");

      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("notif_all_dev").doesNotContain("ledger_demo");
    }
  }

  @Test
  void oneProviderIsPickedByClassName() throws Exception {
    Path first = DefinitionsJars.build(dir, "FirstDefinitions", "first_job");
    Path second = DefinitionsJars.build(dir, "SecondDefinitions", "second_job");

    try (URLClassLoader loader = DefinitionsJars.loader(first, second)) {
      Result r =
          Cli.run(
              loader,
              "submit",
              "-b",
              NO_BROKER,
              "--job",
              "nope",
              "--definitions",
              "com.example.SecondDefinitions");

      assertThat(r.err()).contains("known jobs: second_job");
    }
  }

  @Test
  void theJobsOfSeveralProvidersAreCombined() throws Exception {
    Path first = DefinitionsJars.build(dir, "FirstDefinitions", "first_job");
    Path second = DefinitionsJars.build(dir, "SecondDefinitions", "second_job");

    try (URLClassLoader loader = DefinitionsJars.loader(first, second)) {
      Result r = Cli.run(loader, "submit", "-b", NO_BROKER, "--job", "nope");

      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("known jobs: first_job, second_job");
    }
  }

  @Test
  void twoProvidersDefiningOneJobAreRefusedNamingBothClassesAndJars() throws Exception {
    Path first = DefinitionsJars.build(dir, "FirstDefinitions", "same_job");
    Path second = DefinitionsJars.build(dir, "SecondDefinitions", "same_job");

    try (URLClassLoader loader = DefinitionsJars.loader(first, second)) {
      Result r = Cli.run(loader, "submit", "-b", NO_BROKER, "--job", "same_job");

      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err())
          .contains("job 'same_job' is defined by both com.example.FirstDefinitions (" + first)
          .contains("and com.example.SecondDefinitions (" + second + ")")
          .contains("--definitions CLASS");
    }
  }

  @Test
  void withNoDefinitionsOfTheUserItSaysWhereToPutThemAndHowToRunTheExample() {
    Result r = Cli.run("worker", "-b", NO_BROKER, "--metrics-port", "0");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().replaceAll("\\s+", " "))
        .contains("no DefinitionsProvider found on the class path")
        .contains("/opt/opflow/definitions/")
        .contains("--definitions CLASS")
        .contains("--example");
  }

  @Test
  void theExampleAndAClassNameExcludeEachOther() {
    Result r =
        Cli.run("submit", "-b", NO_BROKER, "--job", "x", "--example", "--definitions", "a.B");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--example and --definitions a.B exclude each other");
  }

  @Test
  void submitHelpSaysWhichDefinitionsItLoads() {
    Result r = Cli.run("submit", "--help");

    assertThat(r.out().replaceAll("\\s+", " "))
        .contains("every DefinitionsProvider registered on the class path")
        .contains("--example")
        .doesNotContain("every provider found by ServiceLoader");
  }
}
