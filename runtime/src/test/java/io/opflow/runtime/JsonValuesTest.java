package io.opflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonValuesTest {

  /** A user value type, as an op would declare it. */
  public record Order(String id, int quantity, List<String> tags) {}

  private final JsonValues values = JsonValues.withInlineCap(1024);

  @Test
  void valuesRoundTripWithTheirDeclaredTypes() {
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("order", new Order("o-1", 3, List.of("a", "b")));
    outputs.put("count", 42L);
    outputs.put("wait", Duration.ofSeconds(90));
    outputs.put("nothing", null);

    Map<String, String> json = values.encodeAll(outputs);
    Map<String, Object> back =
        JsonValues.decodeAll(
            json, Map.of("order", Order.class, "count", Long.class, "wait", Duration.class));

    assertThat(json.get("order")).contains("\"id\":\"o-1\"");
    assertThat(back.get("order")).isEqualTo(new Order("o-1", 3, List.of("a", "b")));
    assertThat(back.get("count")).isEqualTo(42L);
    assertThat(back.get("wait")).isEqualTo(Duration.ofSeconds(90));
    assertThat(back).containsEntry("nothing", null);
  }

  @Test
  void undeclaredNamesDecodeAsPlainJson() {
    Map<String, Object> back = JsonValues.decodeAll(Map.of("x", "{\"a\":[1,2]}"), Map.of());
    assertThat(back.get("x")).isEqualTo(Map.of("a", List.of(1, 2)));
  }

  @Test
  void aValueOverTheCapSaysWhichSizeTheCapAndWhatToDo() {
    String big = "x".repeat(2000);
    assertThatThrownBy(() -> values.encodeAll(Map.of("report", big)))
        .isInstanceOf(OutputTooLargeException.class)
        .hasMessageContaining("output 'report'")
        .hasMessageContaining("2002 bytes")
        .hasMessageContaining("inline cap of 1024 bytes")
        .hasMessageContaining("opflow.outputs.inline.max.bytes")
        .hasMessageContaining("output a reference")
        .hasMessageContaining("raise the cap");
  }

  @Test
  void encodeWhatFitsDropsOnlyTheOversizedValue() {
    Map<String, String> json = values.encodeWhatFits(Map.of("small", 1, "big", "y".repeat(5000)));
    assertThat(json).containsOnlyKeys("small");
  }

  @Test
  void aValueOfTheWrongTypeNamesTheValue() {
    assertThatThrownBy(() -> JsonValues.decode("count", "\"abc\"", Long.class))
        .hasMessageContaining("value 'count'")
        .hasMessageContaining("java.lang.Long");
  }
}
