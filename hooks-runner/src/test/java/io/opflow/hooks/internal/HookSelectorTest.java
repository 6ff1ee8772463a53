package io.opflow.hooks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opflow.core.HookDefinition;
import io.opflow.core.RunStatusSensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class HookSelectorTest {
  private static final HookDefinition SLACK =
      HookDefinition.failureHook("slack_on_failure").tags("slack").handler(ctx -> {});
  private static final HookDefinition PAGE =
      HookDefinition.failureHook("page_on_call").tags("paging").handler(ctx -> {});
  private static final RunStatusSensor ALERT =
      RunStatusSensor.onRunFailure("slack_alert").handler(ctx -> {});

  @Test
  void everythingByDefault() {
    HookSelector all = HookSelector.all();

    assertThat(all.servesAll()).isTrue();
    assertThat(all.serves(SLACK)).isTrue();
    assertThat(all.serves(PAGE)).isTrue();
    assertThat(all.serves(ALERT)).isTrue();
  }

  @Test
  void aNameAPatternOrATagSelects() {
    assertThat(HookSelector.of(List.of("page_on_call"), List.of()).serves(PAGE)).isTrue();
    assertThat(HookSelector.of(List.of("page_on_call"), List.of()).serves(SLACK)).isFalse();
    assertThat(HookSelector.of(List.of("slack_*"), List.of()).serves(SLACK)).isTrue();
    assertThat(HookSelector.of(List.of("slack_*"), List.of()).serves(ALERT)).isTrue();
    assertThat(HookSelector.of(List.of("slack_*"), List.of()).serves(PAGE)).isFalse();
    assertThat(HookSelector.of(List.of("tag:paging"), List.of()).serves(PAGE)).isTrue();
    assertThat(HookSelector.of(List.of("tag:paging"), List.of()).serves(SLACK)).isFalse();
  }

  @Test
  void aTagNeverSelectsASensor() {
    assertThat(HookSelector.of(List.of("tag:slack"), List.of()).serves(ALERT)).isFalse();
  }

  @Test
  void excludeTakesAwayFromInclude() {
    HookSelector rest = HookSelector.of(List.of("*"), List.of("tag:paging"));

    assertThat(rest.servesAll()).isFalse();
    assertThat(rest.serves(SLACK)).isTrue();
    assertThat(rest.serves(PAGE)).isFalse();
  }

  @Test
  void aPatternMatchesTheWholeNameOnlyAndDotsAreLiteral() {
    HookSelector dotted = HookSelector.of(List.of("a.b"), List.of());

    assertThat(dotted.serves(HookDefinition.successHook("a.b").handler(ctx -> {}))).isTrue();
    assertThat(dotted.serves(HookDefinition.successHook("axb").handler(ctx -> {}))).isFalse();
    assertThat(HookSelector.of(List.of("slack"), List.of()).serves(SLACK)).isFalse();
  }

  @Test
  void anEmptySelectionOrSelectorSaysWhatToGive() {
    assertThatThrownBy(() -> HookSelector.of(List.of(), List.of()))
        .hasMessageContaining("no hooks selected");
    assertThatThrownBy(() -> HookSelector.of(List.of("tag:"), List.of()))
        .hasMessageContaining("empty hook selector");
  }
}
