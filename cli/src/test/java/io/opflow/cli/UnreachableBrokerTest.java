package io.opflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opflow.cli.Cli.Result;
import io.opflow.testkit.EmbeddedKafkaBroker;
import io.opflow.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Commands pointed at a broker that does not answer, each in its own JVM as a user runs them: the
 * client commands give up within {@code --connect-timeout} with one line and exit 3; the roles
 * serve {@code /health} DOWN with the reason while they wait, and report a broker they lose.
 */
@Timeout(180)
class UnreachableBrokerTest {
  private static final Path LOGS = Path.of("target", "unreachable-broker-logs");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void submitGivesUpWithinTheConnectTimeoutWithOneLineAndExitCode3() throws Exception {
    String dead = "127.0.0.1:" + Cli.closedPort();

    long start = System.nanoTime();
    Result r =
        Cli.runChild(
            LOGS,
            "submit",
            60,
            "submit",
            "-b",
            dead,
            "--example",
            "--job",
            "notif_all_dev",
            "--connect-timeout",
            "3s");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(r.code()).as(r.err()).isEqualTo(3);
    assertThat(r.err().lines())
        .containsExactly(
            "error: the Kafka broker at "
                + dead
                + " did not answer within 3 s; check --bootstrap-servers and that Kafka is"
                + " running, or wait longer with --connect-timeout");
    assertThat(r.out()).isEmpty();
    assertThat(took).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void runsAndEventsGiveUpTheSameWay() throws Exception {
    String dead = "127.0.0.1:" + Cli.closedPort();

    Result runs = Cli.runChild(LOGS, "runs", 60, "runs", "-b", dead, "--connect-timeout", "2s");
    Result events =
        Cli.runChild(
            LOGS, "events", 60, "events", "-b", dead, "--run", "x", "--connect-timeout", "2s");

    assertThat(runs.code()).as(runs.err()).isEqualTo(3);
    assertThat(runs.err().lines()).hasSize(1).first().asString().contains(dead, "within 2 s");
    assertThat(events.code()).as(events.err()).isEqualTo(3);
    assertThat(events.err().lines()).hasSize(1);
  }

  @Test
  void anAddressWhoseHostDoesNotResolveIsReportedAsSuch() throws Exception {
    Result r =
        Cli.runChild(
            LOGS,
            "submit-unresolvable",
            60,
            "submit",
            "-b",
            "nosuchhost.invalid:9092",
            "--example",
            "--job",
            "notif_all_dev");

    assertThat(r.code()).as(r.err()).isEqualTo(3);
    assertThat(r.err().lines())
        .containsExactly(
            "error: the Kafka broker at nosuchhost.invalid:9092 cannot be reached: its host name"
                + " does not resolve; check --bootstrap-servers");
  }

  @Test
  void aWorkerServesHealthDownWithTheReasonWhileTheBrokerDoesNotAnswer() throws Exception {
    String dead = "127.0.0.1:" + Cli.closedPort();
    int metricsPort = FreePorts.next();
    Process worker =
        Cli.start(
            LOGS,
            "worker-dead",
            "worker",
            "-b",
            dead,
            "--example",
            "--metrics-port",
            String.valueOf(metricsPort));
    try {
      HttpResponse<String> health = awaitHealth(metricsPort, 503);

      assertThat(health.body())
          .startsWith(
              "{\"status\":\"DOWN\",\"reason\":\"waiting for the Kafka broker at "
                  + dead
                  + ": no answer for");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Cli.read(LOGS, "worker-dead.err").contains("waiting for the Kafka broker"));
      assertThat(worker.isAlive()).isTrue();
      assertThat(Cli.read(LOGS, "worker-dead.err")).doesNotContain("NetworkClient");
    } finally {
      Cli.kill(worker);
    }
  }

  @Test
  void aRoleGivenAConnectTimeoutExitsWithCode3WhenItPasses() throws Exception {
    String dead = "127.0.0.1:" + Cli.closedPort();

    Result r =
        Cli.runChild(
            LOGS,
            "coordinator-dead",
            60,
            "coordinator",
            "-b",
            dead,
            "--metrics-port",
            "0",
            "--connect-timeout",
            "2s");

    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err())
        .contains("error: the Kafka broker at " + dead + " did not answer within 2 s");
  }

  @Test
  void aWorkerThatLosesItsBrokerReportsIt() throws Exception {
    int metricsPort = FreePorts.next();
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
    boolean brokerClosed = false;
    Process worker = null;
    try {
      worker =
          Cli.start(
              LOGS,
              "worker-lost",
              "worker",
              "-b",
              broker.bootstrapServers(),
              "--example",
              "--metrics-port",
              String.valueOf(metricsPort));
      assertThat(awaitHealth(metricsPort, 200).body()).isEqualTo("{\"status\":\"UP\"}");

      broker.close();
      brokerClosed = true;

      HttpResponse<String> down = awaitHealth(metricsPort, 503);
      assertThat(down.body())
          .contains("lost the Kafka broker at " + broker.bootstrapServers() + ": no answer for");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Cli.read(LOGS, "worker-lost.err").contains("lost the Kafka broker"));
      assertThat(worker.isAlive()).isTrue();
    } finally {
      Cli.kill(worker);
      if (!brokerClosed) {
        broker.close();
      }
    }
  }

  private static HttpResponse<String> awaitHealth(int port, int status) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
            .timeout(Duration.ofSeconds(2))
            .build();
    return await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(300))
        .ignoreExceptions()
        .until(
            () -> HTTP.send(request, HttpResponse.BodyHandlers.ofString()),
            r -> r.statusCode() == status);
  }
}
