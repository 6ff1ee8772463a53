package io.opflow.ui.internal;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opflow.client.ReexecutionScope;
import io.opflow.client.RunNotReexecutableException;
import io.opflow.core.config.InvalidRunConfigException;
import io.opflow.core.config.RunConfig;
import io.opflow.ui.UiLogin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UI's routes on a JDK HTTP server: {@code /} (runs), {@code /runs/ID} (one run), {@code
 * /hooks}, {@code /live} (server-sent events), {@code /health} and the assets. A request with the
 * header {@value #FRAGMENT_HEADER} gets only the page's main content: that is how a live page
 * refreshes itself.
 */
public final class UiRoutes implements AutoCloseable {
  /** Asks for a page's main content only. */
  static final String FRAGMENT_HEADER = "X-Opflow-Fragment";

  private static final Logger LOG = LoggerFactory.getLogger(UiRoutes.class);
  private static final int MAX_RUN_ID_LENGTH = 200;

  private final RunsView view;
  private final Pages pages;
  private final LiveUpdates live = new LiveUpdates();
  private final BooleanSupplier healthy;
  private final ClusterStatus cluster;
  private final BiConsumer<String, String> cancel;
  private final BiFunction<String, ReexecutionScope, String> reexecute;
  private final Submitter submitter;

  /** Submits runs of the UI's definitions. */
  public interface Submitter {
    /** Returns the jobs that can be submitted, by name. */
    List<String> jobs();

    /**
     * Validates the config and submits a run.
     *
     * @return the run id
     * @throws io.opflow.core.config.InvalidRunConfigException listing every problem; nothing is
     *     published then
     */
    String submit(String job, RunConfig config);
  }

  /**
   * Creates the routes.
   *
   * @param view what the pages show
   * @param maxRuns how many runs the view keeps, said on the pages
   * @param healthy whether the UI is healthy (its feed reads)
   * @param cluster what the cluster page asks Kafka
   * @param cancel cancels a run with a reason; null when the UI is read-only
   * @param reexecute re-executes an ended run and returns the new run's id, as {@code
   *     OpflowClient.reexecute} does; null when the UI is read-only
   * @param submitter submits runs; null when the UI is read-only or has no definitions
   */
  public UiRoutes(
      RunsView view,
      int maxRuns,
      BooleanSupplier healthy,
      ClusterStatus cluster,
      BiConsumer<String, String> cancel,
      BiFunction<String, ReexecutionScope, String> reexecute,
      Submitter submitter) {
    this.view = view;
    this.pages = new Pages(maxRuns, cancel != null);
    this.healthy = healthy;
    this.cluster = cluster;
    this.cancel = cancel;
    this.reexecute = reexecute;
    this.submitter = submitter;
  }

  /** Tells live pages that a run changed. */
  public void changed(String runId) {
    live.changed(runId);
  }

  /** Registers the routes on a server. */
  public void register(HttpServer server, UiLogin login) {
    List<HttpContext> guarded =
        List.of(
            server.createContext("/", this::page),
            server.createContext("/live", this::live),
            server.createContext("/assets/", this::asset));
    // Probes reach /health without a login; it says UP or DOWN and nothing else.
    server.createContext("/health", this::health);
    if (login != null) {
      Authenticator basic =
          new BasicAuthenticator("Opflow", StandardCharsets.UTF_8) {
            @Override
            public boolean checkCredentials(String user, String password) {
              return login.accepts(user, password);
            }
          };
      guarded.forEach(context -> context.setAuthenticator(basic));
    }
  }

  private void page(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      if (exchange.getRequestMethod().equals("POST") && path.endsWith(CANCEL_SUFFIX)) {
        cancel(exchange, path);
        return;
      }
      if (exchange.getRequestMethod().equals("POST") && path.endsWith(REEXECUTE_SUFFIX)) {
        reexecute(exchange, path);
        return;
      }
      if (exchange.getRequestMethod().equals("POST") && path.equals("/submit")) {
        submit(exchange);
        return;
      }
      if (!exchange.getRequestMethod().equals("GET")) {
        respond(exchange, 405, "text/plain", "only GET is served here");
        return;
      }
      Query query = new Query(exchange.getRequestURI().getRawQuery());
      boolean fragment = exchange.getRequestHeaders().containsKey(FRAGMENT_HEADER);
      try {
        Rendered page = render(path, query);
        respond(
            exchange,
            page.status,
            "text/html",
            fragment ? page.body : Pages.layout(page.title, page.liveRun, page.body));
      } catch (BadRequest e) {
        String body = Pages.error(e.status(), e.getMessage());
        respond(
            exchange, e.status(), "text/html", fragment ? body : Pages.layout("Error", null, body));
      }
    } catch (RuntimeException e) {
      LOG.error("Serving {} failed", exchange.getRequestURI(), e);
      throw e;
    }
  }

  private static final String CANCEL_SUFFIX = "/cancel";
  private static final int MAX_FORM_BYTES = 4096;

  // POST /runs/ID/cancel from the run page's form: same origin only, then back to the run.
  private void cancel(HttpExchange exchange, String path) throws IOException {
    try {
      if (cancel == null) {
        throw new BadRequest(403, "this UI is read-only (started with --read-only)");
      }
      requireSameOrigin(exchange);
      String runId = runId(path.substring(0, path.length() - CANCEL_SUFFIX.length()));
      byte[] form = exchange.getRequestBody().readNBytes(MAX_FORM_BYTES + 1);
      if (form.length > MAX_FORM_BYTES) {
        throw new BadRequest(400, "the form is larger than " + MAX_FORM_BYTES + " bytes");
      }
      String reason = new Query(new String(form, StandardCharsets.UTF_8)).text("reason");
      boolean known = view.read(v -> v.run(runId).map(r -> !r.ended()).orElse(false));
      if (!known) {
        throw new BadRequest(
            404, "No running run '" + runId + "' is known here, so there is nothing to cancel.");
      }
      cancel.accept(runId, reason.isEmpty() ? "canceled from the UI" : reason);
      exchange.getResponseHeaders().set("Location", "/runs/" + Html.url(runId));
      exchange.sendResponseHeaders(303, -1);
    } catch (BadRequest e) {
      String body = Pages.error(e.status(), e.getMessage());
      respond(exchange, e.status(), "text/html", Pages.layout("Error", null, body));
    }
  }

  private static final String REEXECUTE_SUFFIX = "/reexecute";

  // POST /runs/ID/reexecute from an ended run's page: same origin only, then on to the new run.
  private void reexecute(HttpExchange exchange, String path) throws IOException {
    try {
      if (reexecute == null) {
        throw new BadRequest(403, "this UI is read-only (started with --read-only)");
      }
      requireSameOrigin(exchange);
      String runId = runId(path.substring(0, path.length() - REEXECUTE_SUFFIX.length()));
      ReexecutionScope scope = scope(form(exchange).text("scope"));
      boolean ended = view.read(v -> v.run(runId).map(RunView::ended).orElse(false));
      if (!ended) {
        throw new BadRequest(
            404,
            "No ended run '"
                + runId
                + "' is known here: only a run that ended can be re-executed.");
      }
      String newRunId;
      try {
        newRunId = reexecute.apply(runId, scope);
      } catch (RunNotReexecutableException e) {
        throw new BadRequest(409, e.getMessage());
      }
      exchange.getResponseHeaders().set("Location", "/runs/" + Html.url(newRunId));
      exchange.sendResponseHeaders(303, -1);
    } catch (BadRequest e) {
      String body = Pages.error(e.status(), e.getMessage());
      respond(exchange, e.status(), "text/html", Pages.layout("Error", null, body));
    }
  }

  private static ReexecutionScope scope(String value) {
    return switch (value) {
      case "all" -> ReexecutionScope.ALL;
      case "from-failure" -> ReexecutionScope.FROM_FAILURE;
      default ->
          throw new BadRequest(400, "scope must be 'all' or 'from-failure', not '" + value + "'");
    };
  }

  // POST /submit: a valid config submits a run and shows it; an invalid one shows every problem.
  private void submit(HttpExchange exchange) throws IOException {
    try {
      if (submitter == null) {
        throw new BadRequest(403, submitUnavailable());
      }
      requireSameOrigin(exchange);
      Query form = form(exchange);
      String job = form.text("job");
      String config = form.longText("config");
      List<String> problems = new ArrayList<>();
      String runId = null;
      if (!submitter.jobs().contains(job)) {
        problems.add("job: there is no job '" + job + "'; pick one of " + submitter.jobs());
      } else {
        try {
          RunConfig parsed = config.isBlank() ? RunConfig.empty() : RunConfig.fromYaml(config);
          runId = submitter.submit(job, parsed);
        } catch (InvalidRunConfigException e) {
          e.problems().forEach(p -> problems.add(p.toString()));
        }
      }
      if (runId == null) {
        String body = Pages.submit(submitter.jobs(), job, config, problems, "");
        respond(exchange, 400, "text/html", Pages.layout("Submit", null, body));
        return;
      }
      exchange.getResponseHeaders().set("Location", "/runs/" + Html.url(runId));
      exchange.sendResponseHeaders(303, -1);
    } catch (BadRequest e) {
      String body = Pages.error(e.status(), e.getMessage());
      respond(exchange, e.status(), "text/html", Pages.layout("Error", null, body));
    }
  }

  private String submitUnavailable() {
    return cancel == null
        ? "This UI is read-only (started with --read-only): it submits nothing."
        : "Submitting needs the job definitions: start the UI with --definitions CLASS (or"
            + " --example), as the workers are.";
  }

  private static Query form(HttpExchange exchange) throws IOException {
    byte[] form = exchange.getRequestBody().readNBytes(MAX_SUBMIT_BYTES + 1);
    if (form.length > MAX_SUBMIT_BYTES) {
      throw new BadRequest(400, "the form is larger than " + MAX_SUBMIT_BYTES + " bytes");
    }
    return new Query(new String(form, StandardCharsets.UTF_8));
  }

  private static final int MAX_SUBMIT_BYTES = 256 * 1024;

  // A form posted from another site must not cancel runs here.
  private static void requireSameOrigin(HttpExchange exchange) {
    String host = exchange.getRequestHeaders().getFirst("Host");
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    if (host == null || origin == null || !origin.equals("http://" + host)) {
      throw new BadRequest(
          403, "an action must come from this UI's own pages (Origin " + origin + ")");
    }
  }

  private record Rendered(int status, String title, String liveRun, String body) {
    Rendered(String title, String liveRun, String body) {
      this(200, title, liveRun, body);
    }
  }

  private Rendered render(String path, Query query) {
    if (path.equals("/")) {
      RunFilter filter =
          new RunFilter(
              query.oneOf("status", Pages.RUN_STATUSES), query.text("job"), query.text("q"));
      int limit = query.limit();
      return new Rendered("Runs", "", view.read(v -> pages.runs(v, filter, limit)));
    } else if (path.equals("/submit")) {
      String body =
          submitter == null
              ? Pages.submit(List.of(), "", "", List.of(), submitUnavailable())
              : Pages.submit(submitter.jobs(), query.text("job"), "", List.of(), "");
      return new Rendered("Submit", null, body);
    } else if (path.equals("/cluster")) {
      ClusterStatus.Snapshot kafka = cluster.read();
      long now = System.currentTimeMillis();
      return new Rendered("Cluster", "", view.read(v -> pages.cluster(v, kafka, now)));
    } else if (path.equals("/hooks")) {
      int limit = query.limit();
      return new Rendered("Hooks", "", view.read(v -> pages.hooks(v, limit)));
    } else if (path.startsWith("/runs/")) {
      String runId = runId(path);
      String kind = query.oneOf("kind", Pages.EVENT_KINDS);
      Optional<String> body = view.read(v -> v.run(runId).map(run -> pages.run(run, kind)));
      // Not known yet, perhaps only not read yet (just submitted): the page waits for it, live.
      return body.map(b -> new Rendered("Run " + runId, runId, b))
          .orElseGet(
              () ->
                  new Rendered(
                      404,
                      "Run " + runId,
                      runId,
                      Pages.error(
                          404,
                          "No run '"
                              + runId
                              + "' is known here (yet: this page shows it as soon as it is). Check"
                              + " the id, or search by its first characters on the runs page;"
                              + " the UI keeps the latest runs only, and the topics keep events"
                              + " for their retention.")));
    }
    throw new BadRequest(404, "There is no page at " + path + ".");
  }

  private static String runId(String rawPath) {
    String id;
    try {
      id = URLDecoder.decode(rawPath.substring("/runs/".length()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequest(400, "the run id in the address is not URL-encoded properly");
    }
    if (id.isEmpty() || id.length() > MAX_RUN_ID_LENGTH) {
      throw new BadRequest(
          400, "a run address is /runs/ followed by a run id of 1 to 200 characters");
    }
    return id;
  }

  private void live(HttpExchange exchange) throws IOException {
    String runId;
    try {
      runId = new Query(exchange.getRequestURI().getRawQuery()).text("run");
    } catch (BadRequest e) {
      try (exchange) {
        respond(exchange, e.status(), "text/plain", e.getMessage());
      }
      return;
    }
    live.subscribe(exchange, runId);
  }

  private void health(HttpExchange exchange) throws IOException {
    try (exchange) {
      boolean up = healthy.getAsBoolean();
      respond(exchange, up ? 200 : 503, "text/plain", up ? "UP" : "DOWN: the event feed stopped");
    }
  }

  private void asset(HttpExchange exchange) throws IOException {
    try (exchange) {
      String name = exchange.getRequestURI().getPath().substring("/assets/".length());
      String type =
          name.endsWith(".css") ? "text/css" : name.endsWith(".js") ? "text/javascript" : null;
      InputStream in =
          type == null || name.contains("/")
              ? null
              : UiRoutes.class.getResourceAsStream("/io/opflow/ui/" + name);
      if (in == null) {
        respond(exchange, 404, "text/plain", "no asset " + name);
        return;
      }
      try (in) {
        respond(exchange, 200, type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange
        .getResponseHeaders()
        .set(
            "Content-Security-Policy",
            "default-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; script-src 'self'");
    exchange.sendResponseHeaders(status, bytes.length);
    try {
      exchange.getResponseBody().write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    live.close();
    cluster.close();
  }
}
