package io.opflow.containers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

class DockerRequirementExtensionTest {

  private final String savedProperty =
      System.getProperty(DockerRequirementExtension.REQUIRE_PROPERTY);

  @AfterEach
  void restoreProperty() {
    if (savedProperty == null) {
      System.clearProperty(DockerRequirementExtension.REQUIRE_PROPERTY);
    } else {
      System.setProperty(DockerRequirementExtension.REQUIRE_PROPERTY, savedProperty);
    }
  }

  @Test
  void runsWhenNothingIsMissing() {
    ConditionEvaluationResult result = DockerRequirementExtension.decide(Optional.empty(), false);

    assertThat(result.isDisabled()).isFalse();
  }

  @Test
  void skipsVisiblyWhenSomethingIsMissingAndNotRequired() {
    ConditionEvaluationResult result =
        DockerRequirementExtension.decide(Optional.of("no Docker engine"), false);

    assertThat(result.isDisabled()).isTrue();
    assertThat(result.getReason()).hasValue("SKIPPED container tests: no Docker engine");
  }

  @Test
  void doesNotSkipWhenRequiredSoThatBeforeAllCanFail() {
    ConditionEvaluationResult result =
        DockerRequirementExtension.decide(Optional.of("no Docker engine"), true);

    assertThat(result.isDisabled()).isFalse();
  }

  @Test
  void systemPropertyDecidesWhetherDockerIsRequired() {
    System.setProperty(DockerRequirementExtension.REQUIRE_PROPERTY, "true");
    assertThat(DockerRequirementExtension.required()).isTrue();

    System.setProperty(DockerRequirementExtension.REQUIRE_PROPERTY, "false");
    assertThat(DockerRequirementExtension.required()).isFalse();
  }
}
