package io.opflow.core;

import io.opflow.core.spi.SecretValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * An error as a plain value that can cross process boundaries: type, message, stack frames, cause
 * chain and whether it may be retried. Never Java-serialized.
 *
 * @param type the fully qualified class name of the exception, {@code WorkerLost} or {@code
 *     StepNotStarted}
 * @param message the exception message, or {@code null}
 * @param stackFrames the stack frames, innermost first
 * @param cause the cause, or {@code null}
 * @param retriable whether the retry policy allows another attempt for this error
 */
public record ErrorInfo(
    String type, String message, List<Frame> stackFrames, ErrorInfo cause, boolean retriable) {
  /** The type name of the error a coordinator records when a worker stops heartbeating. */
  public static final String WORKER_LOST = "WorkerLost";

  /**
   * The type name of the error a coordinator records when no worker started a queued step within
   * its start timeout. Retry policies may retry it like any other type name.
   */
  public static final String STEP_NOT_STARTED = "StepNotStarted";

  private static final int MAX_CAUSE_DEPTH = 16;

  /** Copies the frame list. */
  public ErrorInfo {
    stackFrames = List.copyOf(stackFrames);
  }

  /**
   * One stack frame.
   *
   * @param className the declaring class
   * @param methodName the method
   * @param fileName the source file, or {@code null}
   * @param lineNumber the line, or a negative number when unknown
   */
  public record Frame(String className, String methodName, String fileName, int lineNumber) {}

  /**
   * Converts a throwable and its cause chain; the one converter every module uses. Messages are
   * cleaned of every value this process resolved from an {@code {env: NAME}} reference ({@link
   * SecretValues}), so a secret in an exception's message never reaches an event.
   */
  public static ErrorInfo from(Throwable error, boolean retriable) {
    return from(error, retriable, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
  }

  /** Returns the error a coordinator records for a step whose worker stopped heartbeating. */
  public static ErrorInfo workerLost(String message) {
    return new ErrorInfo(WORKER_LOST, message, List.of(), null, true);
  }

  private static ErrorInfo from(
      Throwable error, boolean retriable, Set<Throwable> seen, int depth) {
    seen.add(error);
    Throwable cause = error.getCause();
    boolean followCause = cause != null && !seen.contains(cause) && depth < MAX_CAUSE_DEPTH;
    return new ErrorInfo(
        error.getClass().getName(),
        SecretValues.redact(error.getMessage()),
        frames(error),
        followCause ? from(cause, retriable, seen, depth + 1) : null,
        retriable);
  }

  private static List<Frame> frames(Throwable error) {
    List<Frame> frames = new ArrayList<>();
    for (StackTraceElement element : error.getStackTrace()) {
      frames.add(
          new Frame(
              element.getClassName(),
              element.getMethodName(),
              element.getFileName(),
              element.getLineNumber()));
    }
    return frames;
  }

  /** Returns {@code type: message}, as a person reads it. */
  public String summary() {
    return message == null ? type : type + ": " + message;
  }
}
