package io.opflow.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class RemoteOpExceptionTest {
  @Test
  void anErrorThatCrossedKafkaReadsLikeTheOriginalExceptionWithItsCauseAndStack() {
    UncheckedIOException original =
        new UncheckedIOException("load failed", new IOException("disk full"));

    RemoteOpException remote = new RemoteOpException(ErrorInfo.from(original, false));

    assertThat(remote.getMessage()).isEqualTo("load failed");
    assertThat(remote).hasToString("java.io.UncheckedIOException: load failed");
    assertThat(remote.originalType()).isEqualTo("java.io.UncheckedIOException");
    assertThat(remote.getCause()).hasToString("java.io.IOException: disk full");
    assertThat(remote.getStackTrace()).hasSameSizeAs(original.getStackTrace());
    assertThat(remote.getStackTrace()[0].toString())
        .isEqualTo(
            original.getStackTrace()[0].getClassName()
                + "."
                + original.getStackTrace()[0].getMethodName()
                + "(RemoteOpExceptionTest.java:"
                + original.getStackTrace()[0].getLineNumber()
                + ")");
  }
}
