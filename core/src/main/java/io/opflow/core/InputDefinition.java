package io.opflow.core;

import java.util.Objects;

/**
 * A named, typed input of an op. Values arrive from an upstream node's output.
 *
 * @param name the input name, unique within the op
 * @param type the Java type the value is bound to
 */
public record InputDefinition(String name, Class<?> type) {
  /** Checks the name and type are present. */
  public InputDefinition {
    Names.requireValid("input", name);
    Objects.requireNonNull(type, "type");
  }
}
