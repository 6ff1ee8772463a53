package io.opflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ObservabilityServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesMetricsAndHealth() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.counter("opflow.test.things", "kind", "demo").increment(3);
    AtomicBoolean healthy = new AtomicBoolean(true);

    try (ObservabilityServer server = ObservabilityServer.start(0, registry, healthy::get)) {
      assertThat(server.port()).isPositive();

      HttpResponse<String> metrics = get(server, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("opflow_test_things_total{kind=\"demo\"} 3.0");

      HttpResponse<String> up = get(server, "/health");
      assertThat(up.statusCode()).isEqualTo(200);
      assertThat(up.body()).isEqualTo("{\"status\":\"UP\"}");

      healthy.set(false);
      HttpResponse<String> down = get(server, "/health");
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body()).contains("DOWN");
    }
  }

  @Test
  void aRoleServesOnlyAPrometheusRegistryOnAPortNotSwitchedOff() throws Exception {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    assertThat(ObservabilityServer.startIfServed("127.0.0.1", -1, prometheus, () -> true))
        .isEmpty();
    assertThat(
            ObservabilityServer.startIfServed(
                "127.0.0.1", 0, new SimpleMeterRegistry(), () -> true))
        .isEmpty();
    Optional<ObservabilityServer> served =
        ObservabilityServer.startIfServed("127.0.0.1", 0, prometheus, () -> false);
    assertThat(served).isPresent();
    try (ObservabilityServer server = served.get()) {
      assertThat(get(server, "/health").statusCode()).isEqualTo(503);
    }
  }

  private HttpResponse<String> get(ObservabilityServer server, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
