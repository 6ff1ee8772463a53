package io.opflow.core.internal.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Recognises {@code {env: NAME}} references: objects with exactly one key, {@code env}, whose value
 * is a string. They stand for a scalar taken from the environment where config is bound.
 */
public final class EnvRef {
  private static final String KEY = "env";

  private EnvRef() {}

  /** Returns true if the node is an {@code {env: NAME}} reference. */
  public static boolean is(JsonNode node) {
    return node != null && node.isObject() && node.size() == 1 && node.path(KEY).isTextual();
  }

  /** Returns the variable name of a node that {@link #is} a reference. */
  public static String name(JsonNode node) {
    return node.get(KEY).textValue();
  }
}
