package io.opflow.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A role's /metrics and /health: the address they listen on and the one method they answer. */
class RoleEndpointTest {
  private static final HttpClient http = HttpClient.newHttpClient();

  @Test
  void itListensOnTheGivenAddressAndAnswersGetOnly() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (RoleEndpoint endpoint = RoleEndpoint.start("127.0.0.1", 0, registry, Optional::empty)) {
      String base = "http://127.0.0.1:" + endpoint.port();

      HttpResponse<String> health = send(HttpRequest.newBuilder(URI.create(base + "/health")));
      HttpResponse<String> post =
          send(
              HttpRequest.newBuilder(URI.create(base + "/metrics"))
                  .POST(HttpRequest.BodyPublishers.ofString("x")));
      HttpResponse<String> delete =
          send(HttpRequest.newBuilder(URI.create(base + "/health")).DELETE());

      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).contains("GET");
      assertThat(delete.statusCode()).isEqualTo(405);
      assertThat(endpoint.address().getAddress().isLoopbackAddress()).isTrue();
    }
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
