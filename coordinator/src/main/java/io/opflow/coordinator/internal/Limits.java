package io.opflow.coordinator.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Bounds on what the coordinator writes, so that no record it produces can exceed the producer's
 * {@code max.request.size} and wedge its stream task: step outputs over the limit are not kept
 * (steps reading them fail with a message), a task whose inputs are over it fails its step, and
 * messages are truncated.
 *
 * @param maxInlineBytes the largest size of one step's outputs, and of one task's inputs with the
 *     run config, in bytes of JSON
 * @param maxChainSteps the most steps after its own that one task may chain (worker-side chaining);
 *     0 for none
 */
record Limits(long maxInlineBytes, int maxChainSteps) {
  /** The setting that governs {@link #maxInlineBytes()}. */
  static final String SETTING = "opflow.coordinator.max.inline.bytes";

  private static final int MAX_MESSAGE_CHARS = 16_384;

  /** Returns the UTF-8 size of a map's keys and values. */
  static long sizeOf(Map<String, String> values) {
    long size = 0;
    for (Map.Entry<String, String> entry : values.entrySet()) {
      size += sizeOf(entry.getKey()) + sizeOf(entry.getValue());
    }
    return size;
  }

  /** Returns the UTF-8 size of a string; 0 for null. */
  static long sizeOf(String value) {
    if (value == null) {
      return 0;
    }
    // Every char takes at most 3 bytes; count exactly only when that bound could matter.
    return value.length() < 1024
        ? value.length() * 3L
        : value.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Cuts a message for people to a size that always fits in a record. */
  static String truncate(String message) {
    if (message.length() <= MAX_MESSAGE_CHARS) {
      return message;
    }
    return message.substring(0, MAX_MESSAGE_CHARS) + "... (" + message.length() + " chars)";
  }
}
