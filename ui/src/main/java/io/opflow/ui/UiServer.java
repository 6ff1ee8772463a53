package io.opflow.ui;

import com.sun.net.httpserver.HttpServer;
import io.opflow.client.OpflowClient;
import io.opflow.core.Definitions;
import io.opflow.core.config.RunConfig;
import io.opflow.schemas.OpflowTopics;
import io.opflow.ui.internal.ClusterStatus;
import io.opflow.ui.internal.EventFeed;
import io.opflow.ui.internal.RunsView;
import io.opflow.ui.internal.UiRoutes;
import io.opflow.ui.internal.ViewCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Opflow's web UI: an HTTP server whose pages show the runs, their steps, attempts and hook
 * outcomes, live. Its view is read from the event topics (run, step and hook events) from their
 * beginning, with no consumer group, and kept in memory for the latest runs; with a state directory
 * ({@link UiOptions#withStateDir}), a snapshot of it is kept there, and a restarted UI restores it
 * and reads on from where the snapshot was taken. Its one action, cancel, sends the request {@code
 * OpflowClient.cancel} sends; a read-only UI offers none.
 *
 * <pre>{@code
 * try (UiServer ui = UiServer.start(Map.of("bootstrap.servers", "localhost:9092"),
 *     OpflowTopics.defaults(), UiOptions.defaults())) {
 *   System.out.println("UI at http://localhost:" + ui.port() + "/");
 * }
 * }</pre>
 */
public final class UiServer implements AutoCloseable {
  private static final int HTTP_THREADS = 16;

  private final HttpServer server;
  private final ExecutorService threads;
  private final EventFeed feed;
  private final UiRoutes routes;
  private final OpflowClient client;
  private final ViewCheckpoint checkpoint;

  private UiServer(
      HttpServer server,
      ExecutorService threads,
      EventFeed feed,
      UiRoutes routes,
      OpflowClient client,
      ViewCheckpoint checkpoint) {
    this.server = server;
    this.threads = threads;
    this.feed = feed;
    this.routes = routes;
    this.client = client;
    this.checkpoint = checkpoint;
  }

  /**
   * Starts reading the event topics and serving the pages.
   *
   * @param kafkaProps Kafka client settings, at least {@code bootstrap.servers}
   * @param topics the topic names
   * @param options port, how many runs to keep, whether actions are offered, which groups to show
   * @return the running server
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static UiServer start(
      Map<String, Object> kafkaProps, OpflowTopics topics, UiOptions options) {
    return start(kafkaProps, topics, options, null);
  }

  /**
   * Starts reading the event topics and serving the pages, with a submit page for the jobs of
   * {@code definitions}.
   *
   * @param kafkaProps Kafka client settings, at least {@code bootstrap.servers}
   * @param topics the topic names
   * @param options port, how many runs to keep, whether actions are offered, which groups to show
   * @param definitions the jobs the submit page offers, validated as {@code OpflowClient.submit}
   *     does; null for none
   * @return the running server
   * @throws UncheckedIOException when the port cannot be bound, or the state directory used
   * @throws IllegalStateException when another UI uses the state directory
   */
  public static UiServer start(
      Map<String, Object> kafkaProps,
      OpflowTopics topics,
      UiOptions options,
      Definitions definitions) {
    ViewCheckpoint checkpoint =
        options.stateDir() == null ? null : ViewCheckpoint.open(options.stateDir());
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(options.bindAddress(), options.port()), 0);
    } catch (IOException e) {
      if (checkpoint != null) {
        checkpoint.close();
      }
      throw new UncheckedIOException(
          "cannot serve the UI on "
              + options.bindAddress()
              + " port "
              + options.port()
              + ": "
              + e.getMessage()
              + "; pick another port or address",
          e);
    }
    RunsView view = new RunsView(options.maxRuns());
    OpflowClient client = options.readOnly() ? null : OpflowClient.create(kafkaProps, topics);
    ClusterStatus cluster =
        new ClusterStatus(kafkaProps, options.consumerGroups(), topics.deadLetter());
    EventFeed[] feed = new EventFeed[1];
    UiRoutes routes =
        new UiRoutes(
            view,
            options.maxRuns(),
            () -> feed[0] != null && feed[0].isRunning(),
            cluster,
            client == null ? null : client::cancel,
            client == null ? null : client::reexecute,
            client == null || definitions == null ? null : submitter(client, definitions));
    feed[0] =
        new EventFeed(
            kafkaProps, topics, view, routes::changed, checkpoint, options.checkpointInterval());
    // Requests are quick; a live page's stream is written by the routes' timer, not a pool thread.
    ExecutorService threads = Executors.newFixedThreadPool(HTTP_THREADS);
    server.setExecutor(threads);
    routes.register(server, options.login());
    server.start();
    return new UiServer(server, threads, feed[0], routes, client, checkpoint);
  }

  private static UiRoutes.Submitter submitter(OpflowClient client, Definitions definitions) {
    return new UiRoutes.Submitter() {
      @Override
      public List<String> jobs() {
        return new TreeSet<>(definitions.jobs().keySet()).stream().toList();
      }

      @Override
      public String submit(String job, RunConfig config) {
        return client.submit(definitions, job, config);
      }
    };
  }

  /** Returns the HTTP port the UI listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Returns the address and port the UI listens on. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Returns whether the UI reads its events; false once its feed stopped on an error. */
  public boolean isHealthy() {
    return feed.isRunning();
  }

  /**
   * Returns how the UI built its view (restored from its snapshot, or read from the beginning, and
   * why), how many records it read since it started, and how its snapshots fare.
   */
  public UiViewStatus viewStatus() {
    return feed.status();
  }

  /** Returns why the UI stopped reading events, if it did. */
  public Optional<Throwable> failure() {
    return feed.failure();
  }

  /** Stops serving and reading. */
  @Override
  public void close() throws InterruptedException {
    routes.close();
    server.stop(0);
    threads.shutdownNow();
    threads.awaitTermination(5, TimeUnit.SECONDS);
    feed.close(); // writes the last snapshot
    if (checkpoint != null) {
      checkpoint.close();
    }
    if (client != null) {
      client.close();
    }
  }
}
