package io.opflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import io.opflow.core.spi.SecretValues;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The roles' logging configuration (the CLI's {@code logback.xml}) masks values resolved from
 * {@code {env: NAME}} references in log messages, in logged exceptions' messages and in their
 * causes.
 */
class LogRedactionTest {
  private final String secret = "xoxb-" + UUID.randomUUID();

  @AfterEach
  void forget() {
    SecretValues.clear();
  }

  @Test
  void aSecretInAMessageOrAnExceptionIsMaskedInTheLogLine() throws Exception {
    SecretValues.register(secret);

    String logged =
        logWithTheRolesConfiguration(
            log ->
                log.warn(
                    "Hook failed calling https://hooks.test/?token={}",
                    secret,
                    new IllegalStateException(
                        "401 for " + secret, new IOException("token " + secret + " revoked"))));

    assertThat(logged)
        .doesNotContain(secret)
        .contains("Hook failed calling https://hooks.test/?token=" + SecretValues.MASK)
        .contains("java.lang.IllegalStateException: 401 for " + SecretValues.MASK)
        .contains("Caused by: java.io.IOException: token " + SecretValues.MASK + " revoked")
        .contains("at io.opflow.cli.LogRedactionTest"); // the trace itself is kept
  }

  private static String logWithTheRolesConfiguration(java.util.function.Consumer<Logger> logging)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      LoggerContext context = new LoggerContext();
      context.setMDCAdapter(new LogbackMDCAdapter());
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(Main.class.getResource("/logback.xml"));
      logging.accept(context.getLogger("io.opflow.test"));
      context.stop();
    } finally {
      System.setErr(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
