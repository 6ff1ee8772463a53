package io.opflow.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * A small HTTP endpoint for operators: {@code GET /metrics} returns a Prometheus scrape of a
 * registry, {@code GET /health} returns 200 {@code {"status":"UP"}} while the health check passes
 * and 503 {@code {"status":"DOWN"}} otherwise.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * try (Worker worker = Worker.start(config, definitions, registry);
 *     ObservabilityServer http = ObservabilityServer.start(0, registry, worker::isHealthy)) {
 *   System.out.println("metrics on port " + http.port());
 * }
 * }</pre>
 */
public final class ObservabilityServer implements AutoCloseable {

  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService threads;

  private ObservabilityServer(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /**
   * Starts serving on all interfaces.
   *
   * @param port the port, or 0 for any free port
   * @param registry the registry to scrape
   * @param health true while the process is healthy
   * @return the running server; close it to stop
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static ObservabilityServer start(
      int port, PrometheusMeterRegistry registry, BooleanSupplier health) {
    return start("0.0.0.0", port, registry, health);
  }

  /**
   * Starts serving on one address.
   *
   * @param address the address to listen on: {@code 0.0.0.0} for every interface, {@code 127.0.0.1}
   *     for this host only
   * @param port the port, or 0 for any free port
   * @param registry the registry to scrape
   * @param health true while the process is healthy
   * @return the running server; close it to stop
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static ObservabilityServer start(
      String address, int port, PrometheusMeterRegistry registry, BooleanSupplier health) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
      ExecutorService threads =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "opflow-observability");
                t.setDaemon(true);
                return t;
              });
      server.setExecutor(threads);
      server.createContext("/metrics", ex -> respond(ex, 200, PROMETHEUS_TEXT, registry.scrape()));
      server.createContext("/health", ex -> health(ex, health));
      server.start();
      return new ObservabilityServer(server, threads);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot serve metrics on " + address + " port " + port, e);
    }
  }

  /**
   * Starts serving as a role does: only when the port setting is not -1 and the registry is a
   * Prometheus one (another registry has no scrape to serve).
   *
   * @param address the address to listen on
   * @param port the port, 0 for any free port, or -1 to serve nothing
   * @param registry the role's registry
   * @param health true while the role is healthy
   * @return the running server, or empty when nothing is served
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static Optional<ObservabilityServer> startIfServed(
      String address, int port, MeterRegistry registry, BooleanSupplier health) {
    if (port >= 0 && registry instanceof PrometheusMeterRegistry prometheus) {
      return Optional.of(start(address, port, prometheus, health));
    }
    return Optional.empty();
  }

  /**
   * Returns the port the server listens on.
   *
   * @return the bound port
   */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops serving. */
  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private static void health(HttpExchange exchange, BooleanSupplier health) throws IOException {
    boolean up;
    try {
      up = health.getAsBoolean();
    } catch (RuntimeException e) {
      up = false;
    }
    String body = up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}";
    respond(exchange, up ? 200 : 503, "application/json", body);
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
