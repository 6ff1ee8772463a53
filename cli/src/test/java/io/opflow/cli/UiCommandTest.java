package io.opflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opflow.testkit.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code opflow ui --state-dir}: SIGTERM leaves a snapshot of the view, and the next start says, in
 * its log and its metrics, that it restored the view from it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class UiCommandTest {
  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  private static final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void aUiStoppedBySigtermRestoresItsViewFromTheStateDirectoryWhenStartedAgain() throws Exception {
    Path stateDir = dir.resolve("ui-state");
    int firstMetrics = Cli.closedPort();
    Process first = startUi("first", stateDir, firstMetrics);
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> metrics(firstMetrics).contains("opflow_ui_view_restored 0.0"));
      first.destroy(); // SIGTERM
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      Cli.kill(first);
    }
    assertThat(stateDir.resolve("ui-view.json.gz")).exists();
    assertThat(Cli.read(dir, "first.out") + Cli.read(dir, "first.err"))
        .contains("UI view: reading the event topics from their beginning: no snapshot in");

    int secondMetrics = Cli.closedPort();
    Process second = startUi("second", stateDir, secondMetrics);
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> metrics(secondMetrics).contains("opflow_ui_view_restored 1.0"));
      assertThat(metrics(secondMetrics)).contains("opflow_ui_records_read_total 0.0");
      assertThat(Cli.read(dir, "second.out") + Cli.read(dir, "second.err"))
          .contains("UI view: restored the view (0 runs) from the snapshot");
    } finally {
      Cli.kill(second);
    }
  }

  private Process startUi(String name, Path stateDir, int metricsPort) {
    return Cli.start(
        dir,
        name,
        "ui",
        "--bootstrap-servers=" + kafka.bootstrapServers(),
        "--topic-prefix=ui-command.",
        "--port=0",
        "--read-only",
        "--metrics-port=" + metricsPort,
        "--state-dir=" + stateDir);
  }

  private static String metrics(int port) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build();
      return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception notYet) {
      return "";
    }
  }
}
