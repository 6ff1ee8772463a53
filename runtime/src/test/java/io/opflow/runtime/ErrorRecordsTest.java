package io.opflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.core.ErrorInfo;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ErrorRecordsTest {

  @Test
  void coreErrorRoundTripsThroughAvro() {
    IllegalStateException error =
        new IllegalStateException("outer", new IOException("disk full", new RuntimeException()));
    ErrorInfo info = ErrorInfo.from(error, true);

    ErrorInfo back = ErrorRecords.fromAvro(ErrorRecords.toAvro(info));

    assertThat(back).isEqualTo(info);
    assertThat(back.cause().type()).isEqualTo(IOException.class.getName());
    assertThat(back.cause().cause().message()).isNull();
    assertThat(back.stackFrames()).isNotEmpty();
    assertThat(back.retriable()).isTrue();
  }

  @Test
  void nullMessageAndFileNameSurvive() {
    ErrorInfo info =
        new ErrorInfo(
            "WorkerLost",
            null,
            java.util.List.of(new ErrorInfo.Frame("a.B", "run", null, -1)),
            null,
            false);
    assertThat(ErrorRecords.fromAvro(ErrorRecords.toAvro(info))).isEqualTo(info);
  }
}
