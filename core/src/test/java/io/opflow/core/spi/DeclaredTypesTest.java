package io.opflow.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opflow.core.OpDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeclaredTypesTest {
  private final OpDefinition<?> op =
      OpDefinition.builder("a")
          .input("count", Integer.class)
          .input("names", List.class)
          .output("total", Long.class)
          .optionalOutput("note", String.class)
          .body(ctx -> null);

  @Test
  void mapsEachInputToItsDeclaredTypeInDeclaredOrder() {
    assertThat(DeclaredTypes.inputsOf(op))
        .containsExactly(Map.entry("count", Integer.class), Map.entry("names", List.class));
  }

  @Test
  void mapsEachOutputRequiredOrOptionalToItsDeclaredType() {
    assertThat(DeclaredTypes.outputsOf(op))
        .containsExactly(Map.entry("total", Long.class), Map.entry("note", String.class));
  }

  @Test
  void anOpWithoutValuesHasEmptyMapsThatCannotBeChanged() {
    OpDefinition<?> bare = OpDefinition.builder("b").body(ctx -> null);

    assertThat(DeclaredTypes.inputsOf(bare)).isEmpty();
    assertThat(DeclaredTypes.outputsOf(bare)).isEmpty();
    assertThatThrownBy(() -> DeclaredTypes.inputsOf(op).put("x", Object.class))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
