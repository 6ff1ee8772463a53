package io.opflow.core.spi;

import io.opflow.core.InputDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.OutputDefinition;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The types an op declares for its named values, as maps from name to type: what a role decodes a
 * step's inputs (the worker) or outputs (the hooks-runner) with when they arrive as JSON by name. A
 * name the op does not declare is absent; callers decode such a value as plain JSON ({@code
 * Object.class}).
 */
public final class DeclaredTypes {
  private DeclaredTypes() {}

  /**
   * Returns the declared type of each of an op's inputs.
   *
   * @param op the op
   * @return type by input name, in declared order; unmodifiable
   */
  public static Map<String, Class<?>> inputsOf(OpDefinition<?> op) {
    Map<String, Class<?>> types = new LinkedHashMap<>();
    for (InputDefinition input : op.inputs()) {
      types.put(input.name(), input.type());
    }
    return Collections.unmodifiableMap(types);
  }

  /**
   * Returns the declared type of each of an op's outputs.
   *
   * @param op the op
   * @return type by output name, in declared order; unmodifiable
   */
  public static Map<String, Class<?>> outputsOf(OpDefinition<?> op) {
    Map<String, Class<?>> types = new LinkedHashMap<>();
    for (OutputDefinition output : op.outputs()) {
      types.put(output.name(), output.type());
    }
    return Collections.unmodifiableMap(types);
  }
}
