package io.opflow.core.config;

import java.util.Objects;

/**
 * One thing wrong with a run config: where it is and what is wrong there.
 *
 * @param path the dotted path of the offending value, such as {@code ops.b.config.threshold} or
 *     {@code ops.b.config.items[2]}; for syntax errors, the line and column
 * @param message what is wrong, in a sentence a user can act on; never contains the value of an
 *     environment variable
 */
public record ConfigProblem(String path, String message) {

  /** Checks that both parts are present. */
  public ConfigProblem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /** Returns the problem as {@code path: message}, the form shown to users. */
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
