package io.opflow.core;

/**
 * The exception a failure hook sees when the op failed in another process: it carries the original
 * error's type, message, stack and cause chain, rebuilt from an {@link ErrorInfo}.
 */
public final class RemoteOpException extends OpflowException {
  private static final long serialVersionUID = 1L;
  private final transient ErrorInfo error;

  /** Rebuilds an exception from an error value. */
  public RemoteOpException(ErrorInfo error) {
    super(error.message(), error.cause() == null ? null : new RemoteOpException(error.cause()));
    this.error = error;
    setStackTrace(
        error.stackFrames().stream()
            .map(
                f ->
                    new StackTraceElement(
                        f.className(), f.methodName(), f.fileName(), f.lineNumber()))
            .toArray(StackTraceElement[]::new));
  }

  /** Returns the original error's fully qualified type name. */
  public String originalType() {
    return error.type();
  }

  /** Returns {@code type: message}, as the original exception's {@code toString()} would. */
  @Override
  public String toString() {
    return error.summary();
  }

  /** Returns the error value this exception was rebuilt from. */
  public ErrorInfo error() {
    return error;
  }
}
