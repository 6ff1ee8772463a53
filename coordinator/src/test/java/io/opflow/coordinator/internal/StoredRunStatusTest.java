package io.opflow.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.core.execution.RunStatus;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StoredRunStatusTest {
  private final Serde<FinishedRun> serde = StoreJson.serde(FinishedRun.class);

  @Test
  void aFinishedRunIsStoredWithTheStatusNamesOfEarlierCoordinators() {
    byte[] stored =
        serde
            .serializer()
            .serialize("t", new FinishedRun("r1", "job", RunStatus.SUCCEEDED, 5, null));

    assertThat(new String(stored, StandardCharsets.UTF_8)).contains("\"status\":\"SUCCESS\"");
  }

  @Test
  void aFinishedRunWrittenBeforeTheRenameIsRead() {
    String written =
        "{\"runId\":\"r1\",\"jobName\":\"job\",\"status\":\"FAILURE\",\"finishedAt\":5}";

    FinishedRun run =
        serde.deserializer().deserialize("t", written.getBytes(StandardCharsets.UTF_8));

    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
  }

  @ParameterizedTest
  @EnumSource(RunStatus.class)
  void everyStatusSurvivesTheStore(RunStatus status) {
    FinishedRun run = new FinishedRun("r1", "job", status, 5, "why");

    byte[] stored = serde.serializer().serialize("t", run);

    assertThat(serde.deserializer().deserialize("t", stored)).isEqualTo(run);
    assertThat(StoredRunStatus.parse(status.name())).isEqualTo(status);
  }
}
