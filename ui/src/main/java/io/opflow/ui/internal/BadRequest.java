package io.opflow.ui.internal;

/** A request the UI cannot serve as asked; its message says what was wrong and what to do. */
final class BadRequest extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  BadRequest(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
