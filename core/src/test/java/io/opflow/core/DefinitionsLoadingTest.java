package io.opflow.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DefinitionsLoadingTest {
  /** Registered in META-INF/services for this test. */
  public static final class Provider implements DefinitionsProvider {
    @Override
    public Definitions definitions() {
      return Definitions.builder()
          .jobs(JobDefinition.builder("loaded").add(TestOps.constant("a", 1)).build())
          .codeVersion("v7")
          .build();
    }
  }

  @Test
  void definitionsAreFoundWithTheServiceLoader() {
    Definitions definitions = Definitions.load();
    assertThat(definitions.jobs()).containsOnlyKeys("loaded");
    assertThat(definitions.codeVersion()).isEqualTo("v7");
  }

  @Test
  void definitionsAreFoundByClassName() {
    assertThat(Definitions.load(Provider.class.getName()).job("loaded").nodes()).hasSize(1);
  }

  @Test
  void anUnknownClassNameSaysToAddTheJar() {
    assertThatThrownBy(() -> Definitions.load("com.example.Missing"))
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            "Invalid code location: class com.example.Missing is not on the classpath; add the jar that holds it");
  }

  @Test
  void aClassThatIsNotAProviderIsRefused() {
    assertThatThrownBy(() -> Definitions.load(String.class.getName()))
        .hasMessageContaining(
            "java.lang.String does not implement io.opflow.core.DefinitionsProvider");
  }
}
