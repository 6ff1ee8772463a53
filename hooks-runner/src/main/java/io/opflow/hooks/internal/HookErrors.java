package io.opflow.hooks.internal;

import io.opflow.core.ErrorInfo;

/**
 * Bounds a hook's error before it goes into a hook event. A hook event too large for the producer
 * would stop the runner, and the same hook would fail the same way after every restart; a bounded
 * error always fits (17 levels of causes at most, each well under 20 KB).
 */
final class HookErrors {
  static final int MAX_MESSAGE_CHARS = 4_000;
  static final int MAX_FRAMES = 64;

  private HookErrors() {}

  /** Returns the error with long messages cut and deep stacks trimmed, at every level. */
  static ErrorInfo bounded(ErrorInfo error) {
    if (error == null) {
      return null;
    }
    return new ErrorInfo(
        error.type(),
        message(error.message()),
        error.stackFrames().size() > MAX_FRAMES
            ? error.stackFrames().subList(0, MAX_FRAMES)
            : error.stackFrames(),
        bounded(error.cause()),
        error.retriable());
  }

  private static String message(String message) {
    if (message == null || message.length() <= MAX_MESSAGE_CHARS) {
      return message;
    }
    int cut = message.length() - MAX_MESSAGE_CHARS;
    return message.substring(0, MAX_MESSAGE_CHARS) + "... (" + cut + " more characters)";
  }
}
