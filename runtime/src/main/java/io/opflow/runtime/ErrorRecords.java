package io.opflow.runtime;

import io.opflow.core.ErrorInfo;
import io.opflow.events.StackFrameInfo;
import java.util.List;

/**
 * Converts errors between core's {@link ErrorInfo} and the Avro {@link io.opflow.events.ErrorInfo}
 * that crosses Kafka: the one converter every role uses. Round trips keep type, message, frames,
 * cause chain and the retriable flag.
 */
public final class ErrorRecords {

  private ErrorRecords() {}

  /**
   * Converts a core error to its Avro record.
   *
   * @param error the error
   * @return the record
   */
  public static io.opflow.events.ErrorInfo toAvro(ErrorInfo error) {
    return io.opflow.events.ErrorInfo.newBuilder()
        .setType(error.type())
        .setMessage(error.message())
        .setStackFrames(error.stackFrames().stream().map(ErrorRecords::toAvro).toList())
        .setCause(error.cause() == null ? null : toAvro(error.cause()))
        .setRetriable(error.retriable())
        .build();
  }

  /**
   * Converts an Avro error record to core's value.
   *
   * @param error the record
   * @return the error
   */
  public static ErrorInfo fromAvro(io.opflow.events.ErrorInfo error) {
    List<ErrorInfo.Frame> frames =
        error.getStackFrames().stream().map(ErrorRecords::fromAvro).toList();
    return new ErrorInfo(
        error.getType(),
        error.getMessage(),
        frames,
        error.getCause() == null ? null : fromAvro(error.getCause()),
        error.getRetriable());
  }

  private static StackFrameInfo toAvro(ErrorInfo.Frame frame) {
    return StackFrameInfo.newBuilder()
        .setClassName(frame.className())
        .setMethodName(frame.methodName())
        .setFileName(frame.fileName())
        .setLineNumber(frame.lineNumber())
        .build();
  }

  private static ErrorInfo.Frame fromAvro(StackFrameInfo frame) {
    return new ErrorInfo.Frame(
        frame.getClassName(), frame.getMethodName(), frame.getFileName(), frame.getLineNumber());
  }
}
