package io.opflow.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opflow.core.config.RunConfig;
import io.opflow.testkit.cluster.OpflowCluster;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The UI's pages over HTTP against a real cluster: what they show, and bad input. */
class UiPagesTest {
  @RegisterExtension
  static final OpflowCluster cluster = OpflowCluster.builder().definitions(UiJobs.DEFS).build();

  private static final HttpClient http = HttpClient.newHttpClient();
  private static UiServer ui;
  private static String failedRun;

  @BeforeAll
  static void start() {
    ui =
        UiServer.start(
            Map.of("bootstrap.servers", cluster.bootstrapServers()),
            cluster.topics(),
            UiOptions.defaults().withPort(0).withMaxRuns(100),
            UiJobs.DEFS);
    failedRun = cluster.client().submit(UiJobs.DEFS, UiJobs.FAILING, RunConfig.empty());
    assertThat(cluster.client().awaitCompletion(failedRun, Duration.ofSeconds(60)).status())
        .isEqualTo("FAILED");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get("/runs/" + failedRun).body().contains("page_on_call"));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    ui.close();
  }

  @Test
  void theRunsPageListsTheFailedRunWithItsFailedStep() throws Exception {
    HttpResponse<String> page = get("/?status=FAILED&job=failing");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("href=\"/runs/" + failedRun + "\"").contains(">explode<");
    assertThat(get("/?status=SUCCEEDED&job=failing").body()).doesNotContain(failedRun);
    assertThat(get("/?q=" + failedRun.substring(0, 6)).body()).contains(failedRun);
  }

  @Test
  void theRunPageShowsTheErrorEscapedAndTheFailureHooksOutcome() throws Exception {
    String body = get("/runs/" + failedRun).body();

    assertThat(body)
        .contains("IllegalStateException: boom &lt;b&gt;not bold&lt;/b&gt;")
        .doesNotContain("<b>not bold</b>")
        .doesNotContain("<script>window.injected")
        .contains("page_on_call")
        .contains(failedRun + "/explode/1/page_on_call")
        .contains("at io.opflow.ui.UiJobs");
  }

  @Test
  void theRunPageDrawsTheJobsGraphColouredByStateAndEachStepsInputs() throws Exception {
    String body = get("/runs/" + failedRun).body();

    assertThat(body)
        .contains("<g class=\"node succeeded\" id=\"node-prepare\">")
        .contains("<g class=\"node failed\" id=\"node-explode\">")
        .contains("<line class=\"edge\"")
        .contains("<code>n &lt;- prepare.result</code> = <code class=\"value\">41</code>");
  }

  @Test
  void aStepsConfigIsShownAsSubmittedWithSecretsStillReferences() throws Exception {
    String runId =
        cluster
            .client()
            .submit(
                UiJobs.DEFS,
                UiJobs.GREETING,
                RunConfig.fromYaml(
                    "ops: {greet: {config: {name: {env: OPFLOW_UI_TEST_SECRET}, times: 1}}}"));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get("/runs/" + runId).body().contains("Config"));
    assertThat(get("/runs/" + runId).body())
        .contains("{&quot;name&quot;:{&quot;env&quot;:&quot;OPFLOW_UI_TEST_SECRET&quot;}");
  }

  @Test
  void theHooksPageListsHookOutcomesAcrossRuns() throws Exception {
    assertThat(get("/hooks").body()).contains("page_on_call").contains("note_success");
  }

  @Test
  void anUnknownRunIsA404ThatSaysWhatToDoAndEscapesTheId() throws Exception {
    HttpResponse<String> page = get("/runs/%3Cscript%3Ealert(1)%3C%2Fscript%3E");

    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.body())
        .contains("No run &#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39; is known here (yet")
        .doesNotContain("<script>alert");
  }

  @Test
  void badQueryParametersAre400sThatNameTheParameter() throws Exception {
    assertThat(get("/?limit=abc"))
        .satisfies(r -> assertThat(r.statusCode()).isEqualTo(400))
        .satisfies(
            r ->
                assertThat(r.body())
                    .contains("limit must be a whole number from 1 to 500; got &#39;abc&#39;"));
    assertThat(get("/?limit=1000000").statusCode()).isEqualTo(400);
    assertThat(get("/hooks?limit=0").statusCode()).isEqualTo(400);
    assertThat(get("/?status=BOGUS").body()).contains("status must be one of");
    assertThat(get("/runs/" + failedRun + "?kind=nope").statusCode()).isEqualTo(400);
    assertThat(get("/?q=" + "x".repeat(201)).statusCode()).isEqualTo(400);
    assertThat(get("/runs/" + "x".repeat(201)).statusCode()).isEqualTo(400);
    assertThat(get("/nowhere").statusCode()).isEqualTo(404);
  }

  @Test
  void theClusterPageShowsTheWorkersTheRolesGroupsAndTheDeadLetters() throws Exception {
    String body = get("/cluster").body();

    assertThat(body)
        .contains("worker-0")
        .contains("opflow-workers")
        .contains("opflow-hooks-runner")
        .containsPattern(
            "(?i)opflow-workers</code></td><td><span class=\"badge stable\">stable</span></td>"
                + "<td>[1-9]")
        .contains("NOT FOUND")
        .contains("records in the dead-letter topic");
  }

  @Test
  void theClusterPageCountsDeadLettersPerSourceTopicAndShowsWhyTheNewestWereDeadLettered()
      throws Exception {
    // Garbage on step-tasks: a worker cannot decode it and dead-letters it, saying why.
    Map<String, Object> props =
        Map.of(
            "bootstrap.servers", cluster.bootstrapServers(),
            "key.serializer", ByteArraySerializer.class,
            "value.serializer", ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      producer
          .send(
              new ProducerRecord<>(
                  cluster.topics().stepTasks(),
                  "poison".getBytes(StandardCharsets.UTF_8),
                  "<script>not avro</script>".getBytes(StandardCharsets.UTF_8)))
          .get();
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> get("/cluster").body().contains("dead-letters-by-source"));
    String body = get("/cluster").body();
    String deadLetters = body.substring(body.indexOf("dead-letters-by-source"));
    assertThat(deadLetters)
        .contains("<code>" + cluster.topics().stepTasks() + "</code>")
        .containsPattern("<code>" + cluster.topics().stepTasks() + " \\d+@\\d+</code>")
        .doesNotContain("<script>not avro");
  }

  @Test
  void aCancelFromAnotherSiteIsRefusedAndAnUnknownRunCannotBeCanceled() throws Exception {
    HttpResponse<String> foreign =
        post("/runs/" + failedRun + "/cancel", "reason=x", "http://evil.example");
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(foreign.body()).contains("an action must come from this UI");

    HttpResponse<String> unknown =
        post("/runs/no-such-run/cancel", "reason=x", "http://localhost:" + ui.port());
    assertThat(unknown.statusCode()).isEqualTo(404);
    HttpResponse<String> ended =
        post("/runs/" + failedRun + "/cancel", "reason=x", "http://localhost:" + ui.port());
    assertThat(ended.statusCode()).as("a run that ended has nothing to cancel").isEqualTo(404);
  }

  @Test
  void reexecuteFromFailureStartsARunThatReusesWhatSucceededAndLinksItsParent() throws Exception {
    String origin = "http://localhost:" + ui.port();
    assertThat(
            post("/runs/" + failedRun + "/reexecute", "scope=all", "http://evil.example")
                .statusCode())
        .isEqualTo(403);
    HttpResponse<String> badScope = post("/runs/" + failedRun + "/reexecute", "scope=some", origin);
    assertThat(badScope.statusCode()).isEqualTo(400);
    assertThat(badScope.body()).contains("scope must be &#39;all&#39; or &#39;from-failure&#39;");
    assertThat(post("/runs/no-such-run/reexecute", "scope=all", origin).statusCode())
        .isEqualTo(404);
    assertThat(get("/runs/" + failedRun).body())
        .contains("id=\"reexecute-from-failure\"", "id=\"reexecute-all\"");

    HttpResponse<String> started =
        post("/runs/" + failedRun + "/reexecute", "scope=from-failure", origin);

    assertThat(started.statusCode()).as(started.body()).isEqualTo(303);
    String child =
        started.headers().firstValue("Location").orElseThrow().substring("/runs/".length());
    assertThat(cluster.client().awaitCompletion(child, Duration.ofSeconds(60)).status())
        .isEqualTo("FAILED");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get("/runs/" + child).body().contains("page_on_call"));
    String page = get("/runs/" + child).body();
    assertThat(page).contains("Re-executes", "href=\"/runs/" + failedRun + "\"");
    assertThat(
            page.substring(
                page.indexOf("id=\"step-prepare\""), page.indexOf("id=\"step-explode\"")))
        .contains("REUSED")
        .contains("41"); // prepare's output in the parent run
  }

  @Test
  void anInvalidRunConfigIsShownWithEveryProblemsPathAndNothingIsPublished() throws Exception {
    long runsBefore = cluster.client().runEvents().size();
    String config = "ops:\n  greet:\n    config:\n      times: x\n";

    HttpResponse<String> page =
        post(
            "/submit",
            "job=greeting&config=" + java.net.URLEncoder.encode(config, "UTF-8"),
            "http://localhost:" + ui.port());

    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.body())
        .contains("Nothing was submitted")
        .contains("ops.greet.config.times")
        .contains("ops.greet.config.name")
        .contains("times: x"); // the config is kept for correcting
    Thread.sleep(1000);
    assertThat(cluster.client().runEvents()).hasSize((int) runsBefore);
  }

  @Test
  void aValidRunConfigSubmitsTheRunAndShowsIt() throws Exception {
    HttpResponse<String> page =
        post(
            "/submit",
            "job=greeting&config="
                + java.net.URLEncoder.encode(
                    "ops: {greet: {config: {name: Ada, times: 2}}}", "UTF-8"),
            "http://localhost:" + ui.port());

    assertThat(page.statusCode()).isEqualTo(303);
    String runId = page.headers().firstValue("Location").orElseThrow().substring("/runs/".length());
    assertThat(cluster.client().awaitCompletion(runId, Duration.ofSeconds(60)).status())
        .isEqualTo("SUCCEEDED");
    assertThat(post("/submit", "job=nope&config=", "http://localhost:" + ui.port()).body())
        .contains("there is no job &#39;nope&#39;");
  }

  @Test
  void healthIsUpAndLiveUpdatesAreAnEventStream() throws Exception {
    assertThat(get("/health").statusCode()).isEqualTo(200);
    HttpRequest live =
        HttpRequest.newBuilder(URI.create("http://localhost:" + ui.port() + "/live")).build();
    HttpResponse<InputStream> stream = http.send(live, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = stream.body()) {
      assertThat(stream.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
      assertThat(new String(in.readNBytes(12), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo(": subscribed");
    }
  }

  private static HttpResponse<String> post(String path, String form, String origin)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + ui.port() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Origin", origin)
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + ui.port() + path)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
