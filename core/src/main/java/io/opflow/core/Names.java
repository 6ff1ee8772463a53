package io.opflow.core;

import java.util.regex.Pattern;

/** Checks the names users give to ops, nodes, hooks, resources and jobs. */
final class Names {
  private static final Pattern VALID = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,199}");

  private Names() {}

  static String requireValid(String what, String name) {
    if (name == null || !VALID.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid "
              + what
              + " name "
              + (name == null ? "null" : "'" + name + "'")
              + ": use letters, digits, '_', '.' or '-', starting with a letter or '_'");
    }
    return name;
  }
}
