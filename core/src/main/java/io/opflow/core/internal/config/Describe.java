package io.opflow.core.internal.config;

import com.fasterxml.jackson.databind.JsonNode;

/** Describes a config value for the "got ..." part of a problem message. */
final class Describe {
  private Describe() {}

  /** Returns scalars as JSON ({@code "x"}, {@code 42}), and names objects and lists. */
  static String value(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "null";
    }
    if (EnvRef.is(value)) {
      return "an {env: " + EnvRef.name(value) + "} reference";
    }
    if (value.isObject()) {
      return "an object";
    }
    return value.isArray() ? "a list" : value.toString();
  }
}
