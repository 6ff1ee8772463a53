package io.opflow.ui.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The pages' live updates: server-sent events on {@code /live}. A page subscribes for every run or
 * for one; each change the feed reports is sent at most once per interval per subscriber, and the
 * page then fetches itself again. Subscribers are bounded; a comment every 15 s keeps idle
 * connections open and finds closed ones.
 */
final class LiveUpdates implements AutoCloseable {
  static final int MAX_SUBSCRIBERS = 64;
  private static final long FLUSH_MILLIS = 250;
  private static final long KEEPALIVE_MILLIS = 15_000;

  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "opflow-ui-live");
            t.setDaemon(true);
            return t;
          });

  LiveUpdates() {
    // Both run until close() shuts the timer down; a subscriber that fails is dropped, not thrown.
    ScheduledFuture<?> unused =
        timer.scheduleWithFixedDelay(
            this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    ScheduledFuture<?> unusedToo =
        timer.scheduleWithFixedDelay(
            this::keepAlive, KEEPALIVE_MILLIS, KEEPALIVE_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Notes that a run changed; subscribers to it (or to every run) hear of it shortly. */
  void changed(String runId) {
    for (Subscriber s : subscribers) {
      if (s.runId.isEmpty() || s.runId.equals(runId)) {
        s.pending = true;
      }
    }
  }

  /**
   * Serves a subscription: keeps the exchange open until the client goes away.
   *
   * @param exchange the {@code /live} request
   * @param runId the run to follow, or empty for every run
   * @throws IOException when the response cannot start
   */
  void subscribe(HttpExchange exchange, String runId) throws IOException {
    if (subscribers.size() >= MAX_SUBSCRIBERS) {
      byte[] body = "too many live pages open; reload later".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(503, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(200, 0);
    Subscriber subscriber = new Subscriber(exchange, runId);
    subscribers.add(subscriber);
    subscriber.send(": subscribed\n\n");
  }

  private void flush() {
    for (Subscriber s : subscribers) {
      if (s.pending) {
        s.pending = false;
        s.send("event: change\ndata: " + (s.runId.isEmpty() ? "*" : s.runId) + "\n\n");
      }
    }
  }

  private void keepAlive() {
    subscribers.forEach(s -> s.send(": keep-alive\n\n"));
  }

  @Override
  public void close() {
    timer.shutdownNow();
    for (Subscriber s : new ArrayList<>(subscribers)) {
      s.end();
    }
  }

  private final class Subscriber {
    final HttpExchange exchange;
    final String runId;
    volatile boolean pending;

    Subscriber(HttpExchange exchange, String runId) {
      this.exchange = exchange;
      this.runId = runId;
    }

    void send(String text) {
      try {
        OutputStream out = exchange.getResponseBody();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException gone) {
        end();
      }
    }

    void end() {
      subscribers.remove(this);
      exchange.close();
    }
  }
}
