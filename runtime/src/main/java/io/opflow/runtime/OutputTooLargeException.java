package io.opflow.runtime;

import io.opflow.core.OpflowException;

/**
 * An op output whose JSON is over the inline cap ({@code opflow.outputs.inline.max.bytes}). It
 * fails the step and is never retried: the same op would produce the same value again.
 */
public final class OutputTooLargeException extends OpflowException {
  private static final long serialVersionUID = 1L;

  private final String outputName;
  private final long sizeBytes;
  private final long capBytes;

  /**
   * Creates the exception.
   *
   * @param outputName the output
   * @param sizeBytes its encoded size
   * @param capBytes the cap
   */
  public OutputTooLargeException(String outputName, long sizeBytes, long capBytes) {
    super(
        "output '"
            + outputName
            + "' is "
            + sizeBytes
            + " bytes as JSON, over the inline cap of "
            + capBytes
            + " bytes (opflow.outputs.inline.max.bytes); store the data elsewhere (a file, an"
            + " object store, a table) and output a reference to it, or raise the cap");
    this.outputName = outputName;
    this.sizeBytes = sizeBytes;
    this.capBytes = capBytes;
  }

  /**
   * Returns the output's name.
   *
   * @return the name
   */
  public String outputName() {
    return outputName;
  }

  /**
   * Returns the output's encoded size.
   *
   * @return bytes
   */
  public long sizeBytes() {
    return sizeBytes;
  }

  /**
   * Returns the cap.
   *
   * @return bytes
   */
  public long capBytes() {
    return capBytes;
  }
}
