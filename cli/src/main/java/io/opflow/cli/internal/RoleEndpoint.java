package io.opflow.cli.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The HTTP endpoint of a role started from the command line: {@code GET /metrics} (Prometheus) and
 * {@code GET /health}, which answers 200 {@code {"status":"UP"}} or 503 {@code
 * {"status":"DOWN","reason":"..."}}. It serves from the moment the command starts, so a role that
 * waits for its broker already says why it is not up.
 */
public final class RoleEndpoint implements AutoCloseable {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService threads;

  private RoleEndpoint(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /**
   * Starts serving on all interfaces.
   *
   * @param port the port, or 0 for any free port
   * @param address the address to listen on, such as {@code 0.0.0.0}
   * @param registry the registry to scrape
   * @param problem why the role is not healthy, or empty when it is
   * @return the endpoint; close it to stop
   * @throws BadInputException when the port cannot be bound
   */
  public static RoleEndpoint start(
      String address,
      int port,
      PrometheusMeterRegistry registry,
      Supplier<Optional<String>> problem) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(address, port), 0);
    } catch (IOException e) {
      throw new BadInputException(
          "cannot serve /metrics and /health on "
              + address
              + " port "
              + port
              + " ("
              + e.getMessage()
              + "): pick a free one with --metrics-port (or 0 for any), or another"
              + " --metrics-address");
    }
    ExecutorService threads =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "opflow-endpoint");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(threads);
    server.createContext("/metrics", ex -> respond(ex, 200, PROMETHEUS_TEXT, registry.scrape()));
    server.createContext("/health", ex -> health(ex, problem));
    server.start();
    return new RoleEndpoint(server, threads);
  }

  /**
   * Returns the port served.
   *
   * @return the bound port
   */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Returns the address and port served.
   *
   * @return the bound address
   */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private static void health(HttpExchange exchange, Supplier<Optional<String>> problem)
      throws IOException {
    Optional<String> reason;
    try {
      reason = problem.get();
    } catch (RuntimeException e) {
      reason = Optional.of("health check failed: " + e);
    }
    String body =
        reason
            .map(r -> "{\"status\":\"DOWN\",\"reason\":\"" + json(r) + "\"}")
            .orElse("{\"status\":\"UP\"}");
    respond(exchange, reason.isPresent() ? 503 : 200, "application/json", body);
  }

  private static String json(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
