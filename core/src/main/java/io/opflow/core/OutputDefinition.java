package io.opflow.core;

import java.util.Objects;

/**
 * A named, typed output of an op.
 *
 * @param name the output name, unique within the op; {@value #DEFAULT_NAME} for the value an op
 *     body returns
 * @param type the Java type of the value
 * @param optional whether the op may finish without producing it; nodes downstream of an optional
 *     output that was not produced are skipped
 */
public record OutputDefinition(String name, Class<?> type, boolean optional) {
  /** The name of the output an op body's return value is assigned to. */
  public static final String DEFAULT_NAME = "result";

  /** Checks the name and type are present. */
  public OutputDefinition {
    Names.requireValid("output", name);
    Objects.requireNonNull(type, "type");
  }
}
