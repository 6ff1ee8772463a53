package io.opflow.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.config.InvalidRunConfigException;
import io.opflow.core.config.RunConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunConfigsTest {
  /** Config of the op under test. */
  public record Settings(String greeting, int times) {}

  private final JobDefinition job =
      JobDefinition.builder("job")
          .add(OpDefinition.builder("a").config(Settings.class).body(ctx -> null))
          .defaultConfig(
              RunConfig.builder().opConfig("a", Map.of("greeting", "hi", "times", 1)).build())
          .build();

  @Test
  void theRunsValuesWinAndTheDefaultsFillTheGaps() {
    RunConfig merged = RunConfigs.overDefaults("{\"ops\":{\"a\":{\"config\":{\"times\":3}}}}", job);

    assertThat(merged.opConfig("a").get("greeting").asText()).isEqualTo("hi");
    assertThat(merged.opConfig("a").get("times").asInt()).isEqualTo(3);
  }

  @Test
  void noConfigOfItsOwnGivesTheDefaults() {
    assertThat(RunConfigs.overDefaults(null, job)).isEqualTo(job.defaultConfig());
    assertThat(RunConfigs.overDefaults("{}", job)).isEqualTo(job.defaultConfig());
  }

  @Test
  void mergesAsTheJobsValidationDoes() {
    String json = "{\"ops\":{\"a\":{\"config\":{\"greeting\":\"hello\"}}}}";

    assertThat(RunConfigs.overDefaults(json, job))
        .isEqualTo(job.validate(RunConfig.fromJson(json)));
  }

  @Test
  void invalidJsonIsRefused() {
    assertThatThrownBy(() -> RunConfigs.overDefaults("{not json", job))
        .isInstanceOf(InvalidRunConfigException.class);
  }
}
