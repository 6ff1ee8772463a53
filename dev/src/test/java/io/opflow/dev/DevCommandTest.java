package io.opflow.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.opflow.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code opflow dev} and {@code opflow broker} as {@code opflow-dev.jar} runs them: the lean
 * command line with this module's commands, found on the class path.
 */
@Timeout(180)
class DevCommandTest {
  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Result(cli.execute(args), out.toString(), err.toString());
  }

  @Test
  void devRunsTheExampleJobOnceToSuccessAndOnceToFailureWithItsHooks() {
    Result r = run("dev");

    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("cluster up at ")
        .contains("hook slack_message_on_success COMPLETED")
        .contains("hook slack_message_on_failure COMPLETED")
        .contains("dev: OK (first run succeeded, second failed as asked); stopping");
  }

  @Test
  void helpListsDevAndBrokerFromThisModuleFirst() {
    Result r = run("--help");

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("Start an embedded Kafka broker, a coordinator, 2 workers")
        .contains("Run a single-node Kafka broker (KRaft)")
        .doesNotContain("opflow-dev.jar only");
    assertThat(r.out().indexOf("  dev ")).isLessThan(r.out().indexOf("  submit "));
  }

  @Test
  void brokerOnATakenPortIsBadInput() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Result r = run("broker", "--port", String.valueOf(taken.getLocalPort()));

      assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
      assertThat(r.err()).contains("port " + taken.getLocalPort() + " is taken");
    }
  }
}
