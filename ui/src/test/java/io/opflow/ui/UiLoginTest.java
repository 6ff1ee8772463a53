package io.opflow.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opflow.schemas.OpflowTopics;
import io.opflow.schemas.TopicAdmin;
import io.opflow.testkit.KafkaBrokerExtension;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The UI's login (HTTP basic authentication) and the address it listens on, on a real broker. */
class UiLoginTest {
  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

  private static final HttpClient http = HttpClient.newHttpClient();

  private UiServer ui;

  @BeforeEach
  void start() {
    OpflowTopics topics =
        OpflowTopics.withPrefix("ui" + UUID.randomUUID().toString().substring(0, 8) + ".");
    try (TopicAdmin admin = TopicAdmin.create(kafka.broker().adminConfig())) {
      admin.ensureTopics(topics);
    }
    ui =
        UiServer.start(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            topics,
            UiOptions.defaults()
                .withPort(0)
                .withBindAddress("127.0.0.1")
                .withLogin(UiLogin.of("ops", "correct horse")));
  }

  @AfterEach
  void stop() throws InterruptedException {
    ui.close();
  }

  @Test
  void aPageAsksForALoginAndOpensWithTheRightPasswordOnly() throws Exception {
    HttpResponse<String> anonymous = get("/", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(value -> assertThat(value).startsWith("Basic realm=\"Opflow\""));

    assertThat(get("/", "ops:wrong").statusCode()).isEqualTo(401);
    assertThat(get("/", "nobody:correct horse").statusCode()).isEqualTo(401);
    assertThat(get("/hooks", "ops:correct horse").statusCode()).isEqualTo(200);
    assertThat(get("/assets/ui.css", null).statusCode()).isEqualTo(401);
  }

  @Test
  void healthAnswersProbesWithoutALogin() throws Exception {
    assertThat(get("/health", null).statusCode()).isIn(200, 503);
  }

  @Test
  void itListensOnTheAddressItWasGivenOnly() {
    assertThat(ui.address().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
  }

  @Test
  void aUsersFileIsReadAndABadLineIsNamedWithoutItsPassword(@TempDir Path dir) throws Exception {
    Path users = dir.resolve("users");
    Files.write(users, List.of("# who may open the UI", "ops:s3cret-one", "", "audit:s3cret-two"));
    UiLogin login = UiLogin.fromFile(users);

    assertThat(login.accepts("ops", "s3cret-one")).isTrue();
    assertThat(login.accepts("audit", "s3cret-one")).isFalse();
    assertThat(login.toString()).contains("audit", "ops").doesNotContain("s3cret");

    Files.write(users, List.of("ops:fine", "only-a-password-s3cret"));
    assertThatThrownBy(() -> UiLogin.fromFile(users))
        .hasMessageContaining("line 2: expected user:password")
        .hasMessageNotContaining("s3cret");
  }

  private HttpResponse<String> get(String path, String credentials) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ui.port() + path));
    if (credentials != null) {
      String encoded =
          Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
      request.header("Authorization", "Basic " + encoded);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
