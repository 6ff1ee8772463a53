package io.opflow.examples.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A {@link Slack} that posts JSON to an incoming-webhook URL. */
public final class WebhookSlack implements Slack {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SlackConfig config;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Creates a client for the configured webhook. */
  public WebhookSlack(SlackConfig config) {
    this.config = config;
  }

  @Override
  public void postMessage(String channel, String message) throws IOException, InterruptedException {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("channel", channel);
    body.put("text", message);
    config.username().ifPresent(name -> body.put("username", name));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(config.webhookUrl()))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      // The URL is a secret: name only the status.
      throw new IOException("Slack webhook answered HTTP " + response.statusCode());
    }
  }
}
