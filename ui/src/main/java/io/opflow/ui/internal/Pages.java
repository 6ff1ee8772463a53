package io.opflow.ui.internal;

import static io.opflow.ui.internal.Html.badge;
import static io.opflow.ui.internal.Html.duration;
import static io.opflow.ui.internal.Html.esc;
import static io.opflow.ui.internal.Html.time;
import static io.opflow.ui.internal.Html.url;

import io.opflow.ui.internal.RunView.AttemptView;
import io.opflow.ui.internal.RunView.EventLine;
import io.opflow.ui.internal.RunView.HookView;
import io.opflow.ui.internal.RunView.InputView;
import io.opflow.ui.internal.RunView.StepView;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The UI's pages, rendered on the server from a {@link RunsView.Snapshot}. */
final class Pages {
  static final Set<String> RUN_STATUSES = Set.of("STARTED", "SUCCEEDED", "FAILED", "CANCELED");
  static final Set<String> EVENT_KINDS = Set.of("run", "step", "hook");

  private final int maxRuns;
  private final boolean actions;

  /**
   * Creates the pages.
   *
   * @param maxRuns how many runs the UI keeps, said on the runs page
   * @param actions whether to offer actions (cancel)
   */
  Pages(int maxRuns, boolean actions) {
    this.maxRuns = maxRuns;
    this.actions = actions;
  }

  /**
   * The whole page around a body; {@code liveRun} is the run whose changes refresh it, empty for
   * every run, null for a page that does not change by itself.
   */
  static String layout(String title, String liveRun, String body) {
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>"
        + esc(title)
        + " · Opflow</title><link rel=\"stylesheet\" href=\"/assets/ui.css\"></head><body>"
        + "<header><a class=\"brand\" href=\"/\">Opflow</a><nav>"
        + "<a href=\"/\">Runs</a><a href=\"/hooks\">Hooks</a><a href=\"/cluster\">Cluster</a>"
        + "<a href=\"/submit\">Submit</a>"
        + "</nav></header>"
        + (liveRun == null
            ? "<main id=\"main\">"
            : "<main id=\"main\" data-live=\"true\" data-run=\"" + esc(liveRun) + "\">")
        + body
        + "</main><script src=\"/assets/ui.js\"></script></body></html>";
  }

  /** The list of runs, newest first, with counts per status and filters. */
  String runs(RunsView.Snapshot view, RunFilter filter, int limit) {
    StringBuilder html = new StringBuilder("<h1>Runs</h1>");
    Map<String, Long> counts = view.countsByStatus();
    html.append("<p class=\"counts\">");
    for (String status : List.of("STARTED", "SUCCEEDED", "FAILED", "CANCELED")) {
      html.append("<a href=\"/?status=")
          .append(status)
          .append("\">")
          .append(badge(status))
          .append(" <span class=\"count\" id=\"count-")
          .append(status.toLowerCase(Locale.ROOT))
          .append("\">")
          .append(counts.getOrDefault(status, 0L))
          .append("</span></a> ");
    }
    html.append("</p>");
    html.append(filterForm(view, filter, limit));
    List<RunView> runs = view.runs(filter, limit);
    if (runs.isEmpty()) {
      html.append(
          filter.equals(RunFilter.ALL)
              ? "<p class=\"empty\">No runs yet. Start one with <code>opflow submit --job NAME"
                  + " -b HOST:PORT</code>, or run <code>opflow dev</code> for the example job;"
                  + " runs appear here as they start.</p>"
              : "<p class=\"empty\">No run matches these filters. <a href=\"/\">Show every"
                  + " run</a>.</p>");
      return html.toString();
    }
    html.append(
        "<table class=\"runs\"><thead><tr><th>Run</th><th>Job</th><th>Status</th>"
            + "<th>Started</th><th>Duration</th><th>Failed steps</th></tr></thead><tbody>");
    for (RunView run : runs) {
      html.append("<tr id=\"run-")
          .append(esc(run.runId))
          .append("\"><td><a href=\"/runs/")
          .append(url(run.runId))
          .append("\" title=\"")
          .append(esc(run.runId))
          .append("\"><code>")
          .append(esc(shortId(run.runId)))
          .append("</code></a></td><td>")
          .append(esc(run.jobName))
          .append("</td><td>")
          .append(badge(run.status))
          .append("</td><td>")
          .append(time(run.startedAt))
          .append("</td><td>")
          .append(duration(run.startedAt, run.ended() ? run.endedAt : 0))
          .append("</td><td>")
          .append(esc(String.join(", ", failedSteps(run))))
          .append("</td></tr>");
    }
    long matching = view.count(filter);
    html.append("</tbody></table><p class=\"note\">")
        .append(runs.size())
        .append(" of ")
        .append(matching)
        .append(" matching runs shown; the UI keeps the latest ")
        .append(maxRuns)
        .append(" runs.</p>");
    return html.toString();
  }

  private static String filterForm(RunsView.Snapshot view, RunFilter filter, int limit) {
    StringBuilder form =
        new StringBuilder(
            "<form class=\"filters\" method=\"get\" action=\"/\">"
                + "<label>Run id <input name=\"q\" value=\""
                + esc(filter.runIdPrefix())
                + "\" placeholder=\"prefix\"></label><label>Status <select name=\"status\">"
                + "<option value=\"\">any</option>");
    for (String status : List.of("STARTED", "SUCCEEDED", "FAILED", "CANCELED")) {
      form.append(option(status, filter.status()));
    }
    form.append("</select></label><label>Job <select name=\"job\"><option value=\"\">any</option>");
    for (String job : view.jobs()) {
      form.append(option(job, filter.job()));
    }
    form.append(
            "</select></label><label>Show <input name=\"limit\" type=\"number\" min=\"1\" max=\"")
        .append(Query.MAX_LIMIT)
        .append("\" value=\"")
        .append(limit)
        .append("\"></label><button type=\"submit\">Filter</button></form>");
    return form.toString();
  }

  private static String option(String value, String selected) {
    return "<option"
        + (value.equals(selected) ? " selected" : "")
        + " value=\""
        + esc(value)
        + "\">"
        + esc(value)
        + "</option>";
  }

  /** One run: its steps and attempts on a timeline, errors, hooks and its event log. */
  String run(RunView run, String eventKind) {
    StringBuilder html = new StringBuilder();
    html.append("<h1>Run <code>")
        .append(esc(run.runId))
        .append("</code> ")
        .append(badge(run.status))
        .append("</h1><dl class=\"facts\"><dt>Job</dt><dd>")
        .append(esc(run.jobName))
        .append("</dd><dt>Started</dt><dd>")
        .append(time(run.startedAt))
        .append("</dd><dt>Duration</dt><dd>")
        .append(duration(run.startedAt, run.ended() ? run.endedAt : 0))
        .append("</dd>");
    if (!run.message.isEmpty()) {
      html.append("<dt>Why</dt><dd class=\"message\">").append(esc(run.message)).append("</dd>");
    }
    if (!run.parentRunId.isEmpty()) {
      html.append("<dt>Re-executes</dt><dd><a id=\"parent-run\" href=\"/runs/")
          .append(url(run.parentRunId))
          .append("\"><code>")
          .append(esc(run.parentRunId))
          .append("</code></a></dd>");
    }
    html.append("</dl>");
    if (actions && run.ended()) {
      html.append(reexecuteForm(run));
    }
    if (actions && !run.ended()) {
      html.append("<form class=\"cancel\" method=\"post\" action=\"/runs/")
          .append(url(run.runId))
          .append(
              "/cancel\"><label>Reason <input name=\"reason\" value=\"canceled from the UI\""
                  + " maxlength=\"200\"></label><button type=\"submit\" id=\"cancel\">Cancel"
                  + " run</button></form>");
    }
    html.append(GraphSvg.of(run));
    html.append(timeline(run));
    html.append("<h2>Steps</h2>");
    for (StepView step : run.steps.values()) {
      html.append(step(run, step));
    }
    html.append(eventLog(run, eventKind));
    return html.toString();
  }

  // Re-execute all, or from failure when something did not succeed.
  private static String reexecuteForm(RunView run) {
    StringBuilder form =
        new StringBuilder("<form class=\"reexecute\" method=\"post\" action=\"/runs/")
            .append(url(run.runId))
            .append("/reexecute\">");
    if (!run.status.equals("SUCCEEDED")) {
      form.append(
          "<button type=\"submit\" name=\"scope\" value=\"from-failure\""
              + " id=\"reexecute-from-failure\" title=\"Reuse the steps that succeeded; run the"
              + " rest\">Re-execute from failure</button> ");
    }
    return form.append(
            "<button type=\"submit\" name=\"scope\" value=\"all\" id=\"reexecute-all\">"
                + "Re-execute all</button></form>")
        .toString();
  }

  /** Values longer than this are cut on the page, the whole value one click away. */
  private static final int SHORT_VALUE = 120;

  // An input, where it comes from, and the value it read once the upstream step produced it.
  private static String input(RunView run, InputView input) {
    StringBuilder html =
        new StringBuilder("<li><code>").append(esc(input.toString())).append("</code>");
    run.valueOf(input)
        .ifPresent(
            value -> {
              html.append(" = ");
              if (value.length() <= SHORT_VALUE) {
                html.append("<code class=\"value\">").append(esc(value)).append("</code>");
              } else {
                html.append("<details><summary><code class=\"value\">")
                    .append(esc(value.substring(0, SHORT_VALUE)))
                    .append("…</code></summary><code class=\"value\">")
                    .append(esc(value))
                    .append("</code></details>");
              }
            });
    return html.append("</li>").toString();
  }

  private static String timeline(RunView run) {
    long start = run.startedAt;
    long end = run.ended() ? run.endedAt : System.currentTimeMillis();
    for (StepView step : run.steps.values()) {
      for (AttemptView a : step.attempts.values()) {
        if (start <= 0 || (a.startedAt > 0 && a.startedAt < start)) {
          start = a.startedAt;
        }
        end = Math.max(end, a.endedAt);
      }
    }
    if (start <= 0 || end <= start) {
      return "";
    }
    double span = end - start;
    StringBuilder html = new StringBuilder("<h2>Timeline</h2><div class=\"timeline\">");
    for (StepView step : run.steps.values()) {
      for (AttemptView a : step.attempts.values()) {
        long from = a.startedAt > 0 ? a.startedAt : a.endedAt;
        if (from <= 0) {
          continue;
        }
        long to = a.endedAt > 0 ? a.endedAt : end;
        String label =
            step.stepKey + " #" + a.attempt + (a.worker.isEmpty() ? "" : " on " + a.worker);
        html.append("<div class=\"lane\"><span class=\"label\">")
            .append(esc(label))
            .append("</span><span class=\"track\"><span class=\"bar ")
            .append(esc(a.status.toLowerCase(Locale.ROOT).replace('_', '-')))
            .append(
                String.format(
                    Locale.ROOT,
                    "\" style=\"left:%.2f%%;width:%.2f%%\"",
                    100 * (from - start) / span,
                    Math.max(0.5, 100 * (to - from) / span)))
            .append(" title=\"")
            .append(esc(label + ": " + a.status + ", " + duration(a.startedAt, a.endedAt)))
            .append("\"></span></span></div>");
      }
    }
    return html.append("</div>").toString();
  }

  private static String step(RunView run, StepView step) {
    StringBuilder html = new StringBuilder();
    html.append("<section class=\"step\" id=\"step-")
        .append(esc(step.stepKey))
        .append("\"><h3>")
        .append(esc(step.stepKey))
        .append(
            step.opName.isEmpty() || step.opName.equals(step.stepKey)
                ? ""
                : " <small>op " + esc(step.opName) + "</small>")
        .append(" ")
        .append(step.status.isEmpty() ? "" : badge(step.status))
        .append("</h3>");
    List<InputView> inputs = run.inputs.getOrDefault(step.stepKey, List.of());
    String config = run.configs.get(step.stepKey);
    if (!inputs.isEmpty() || config != null) {
      html.append("<dl class=\"facts\">");
      if (!inputs.isEmpty()) {
        html.append("<dt>Inputs</dt><dd><ul class=\"inputs\">");
        inputs.forEach(input -> html.append(input(run, input)));
        html.append("</ul></dd>");
      }
      if (config != null) {
        html.append("<dt>Config</dt><dd><code class=\"config\">")
            .append(esc(config))
            .append("</code></dd>");
      }
      html.append("</dl>");
    }
    if (!step.attempts.isEmpty()) {
      html.append(
          "<table class=\"attempts\"><thead><tr><th>Attempt</th><th>Worker</th><th>Status</th>"
              + "<th>Started</th><th>Duration</th><th>Error</th><th>Outputs</th></tr></thead>"
              + "<tbody>");
      for (AttemptView a : step.attempts.values()) {
        html.append("<tr><td>")
            .append(a.attempt)
            .append("</td><td>")
            .append(esc(a.worker))
            .append("</td><td>")
            .append(badge(a.status))
            .append("</td><td>")
            .append(time(a.startedAt))
            .append("</td><td>")
            .append(duration(a.startedAt, a.endedAt))
            .append("</td><td class=\"error\">");
        if (!a.errorType.isEmpty()) {
          html.append("<details id=\"trace-")
              .append(esc(step.stepKey))
              .append("-")
              .append(a.attempt)
              .append("\"><summary>")
              .append(esc(a.errorType + (a.errorMessage.isEmpty() ? "" : ": " + a.errorMessage)))
              .append("</summary><pre>")
              .append(esc(a.stackTrace))
              .append("</pre></details>");
        }
        html.append("</td><td>");
        if (!a.outputs.isEmpty()) {
          html.append("<details id=\"outputs-")
              .append(esc(step.stepKey))
              .append("-")
              .append(a.attempt)
              .append("\"><summary>")
              .append(a.outputs.size())
              .append(a.outputs.size() == 1 ? " output" : " outputs")
              .append("</summary><dl>");
          a.outputs.forEach(
              (name, json) ->
                  html.append("<dt>")
                      .append(esc(name))
                      .append("</dt><dd><code>")
                      .append(esc(json))
                      .append("</code></dd>"));
          html.append("</dl></details>");
        }
        html.append("</td></tr>");
      }
      html.append("</tbody></table>");
    }
    if (!step.hooks.isEmpty()) {
      html.append(
          "<table class=\"hooks\"><thead><tr><th>Hook</th><th>Kind</th><th>Attempt</th>"
              + "<th>Outcome</th><th>Detail</th><th>Idempotency key</th></tr></thead><tbody>");
      for (HookView hook : step.hooks) {
        html.append(hookRow(hook));
      }
      html.append("</tbody></table>");
    }
    return html.append("</section>").toString();
  }

  private static String hookRow(HookView hook) {
    return "<tr class=\"hook\"><td>"
        + esc(hook.hookName())
        + "</td><td>"
        + esc(hook.kind().toLowerCase(Locale.ROOT))
        + "</td><td>"
        + hook.attempt()
        + "</td><td>"
        + badge(hook.status())
        + "</td><td>"
        + esc(hook.detail())
        + "</td><td><code>"
        + esc(hook.idempotencyKey())
        + "</code></td></tr>";
  }

  private static String eventLog(RunView run, String kind) {
    StringBuilder html = new StringBuilder("<h2>Events</h2><p class=\"kinds\">Show: ");
    html.append(kindLink(run, "", kind, "all"));
    for (String k : List.of("run", "step", "hook")) {
      html.append(kindLink(run, k, kind, k));
    }
    if (run.eventCount > run.events.size()) {
      html.append(" <span class=\"note\">(the latest ")
          .append(run.events.size())
          .append(" of ")
          .append(run.eventCount)
          .append(")</span>");
    }
    html.append(
        "</p><table class=\"events\"><thead><tr><th>Time</th><th>Kind</th><th>Step</th>"
            + "<th>Attempt</th><th>Event</th><th>Detail</th></tr></thead><tbody>");
    for (EventLine line : run.events) {
      if (!kind.isEmpty() && !line.kind().equals(kind)) {
        continue;
      }
      html.append("<tr><td>")
          .append(time(line.at()))
          .append("</td><td>")
          .append(esc(line.kind()))
          .append("</td><td>")
          .append(esc(line.stepKey()))
          .append("</td><td>")
          .append(line.attempt() == 0 ? "" : line.attempt())
          .append("</td><td>")
          .append(esc(line.what()))
          .append("</td><td>")
          .append(esc(line.detail()))
          .append("</td></tr>");
    }
    return html.append("</tbody></table>").toString();
  }

  private static String kindLink(RunView run, String kind, String current, String label) {
    String href = "/runs/" + url(run.runId) + (kind.isEmpty() ? "" : "?kind=" + kind) + "#events";
    return kind.equals(current)
        ? "<strong>" + esc(label) + "</strong> "
        : "<a href=\"" + href + "\">" + esc(label) + "</a> ";
  }

  /** Hook outcomes across runs, errored first. */
  String hooks(RunsView.Snapshot view, int limit) {
    List<Map.Entry<RunView, HookView>> hooks = view.hooks(limit);
    StringBuilder html = new StringBuilder("<h1>Hooks</h1>");
    if (hooks.isEmpty()) {
      return html.append(
              "<p class=\"empty\">No hook has run yet. Hooks run on the hooks-runner when a step"
                  + " or a run ends.</p>")
          .toString();
    }
    html.append(
        "<table class=\"hooks\"><thead><tr><th>Run</th><th>Step</th><th>Hook</th><th>Kind</th>"
            + "<th>Attempt</th><th>Outcome</th><th>Detail</th><th>Idempotency key</th></tr>"
            + "</thead><tbody>");
    for (Map.Entry<RunView, HookView> entry : hooks) {
      RunView run = entry.getKey();
      HookView hook = entry.getValue();
      html.append("<tr><td><a href=\"/runs/")
          .append(url(run.runId))
          .append("\"><code>")
          .append(esc(shortId(run.runId)))
          .append("</code></a></td><td>")
          .append(esc(hook.stepKey()))
          .append("</td>")
          .append(hookRow(hook).substring("<tr class=\"hook\">".length()));
    }
    return html.append("</tbody></table>").toString();
  }

  /** The cluster: workers seen in the events, the roles' consumer groups, dead letters. */
  String cluster(RunsView.Snapshot view, ClusterStatus.Snapshot kafka, long now) {
    StringBuilder html = new StringBuilder("<h1>Cluster</h1><h2>Workers</h2>");
    List<RunsView.WorkerSeen> workers = view.workers();
    if (workers.isEmpty()) {
      html.append("<p class=\"empty\">No worker has started a step yet.</p>");
    } else {
      html.append(
          "<table class=\"workers\"><thead><tr><th>Worker</th><th>Last seen</th><th>State</th>"
              + "<th>Running now</th></tr></thead><tbody>");
      for (RunsView.WorkerSeen worker : workers) {
        boolean live = now - worker.lastSeen() <= LIVE_WINDOW_MILLIS;
        html.append("<tr><td>")
            .append(esc(worker.workerId()))
            .append("</td><td>")
            .append(time(worker.lastSeen()))
            .append("</td><td>")
            .append(badge(live ? "LIVE" : "QUIET"))
            .append("</td><td>")
            .append(esc(String.join(", ", worker.running())))
            .append("</td></tr>");
      }
      html.append("</tbody></table><p class=\"note\">A worker is live when it started or")
          .append(" heartbeated a step in the last ")
          .append(LIVE_WINDOW_MILLIS / 1000)
          .append(" s; an idle worker sends nothing, so it shows as quiet.</p>");
    }
    html.append("<h2>Consumer groups</h2>");
    if (!kafka.problem().isEmpty()) {
      html.append("<p class=\"message\">").append(esc(kafka.problem())).append("</p>");
    }
    html.append(
        "<table class=\"groups\"><thead><tr><th>Group</th><th>State</th><th>Members</th>"
            + "<th>Lag</th></tr></thead><tbody>");
    for (ClusterStatus.Group group : kafka.groups()) {
      html.append("<tr><td><code>")
          .append(esc(group.id()))
          .append("</code></td><td>")
          .append(badge(group.state()))
          .append("</td><td>")
          .append(group.members())
          .append("</td><td>")
          .append(group.lag())
          .append("</td></tr>");
    }
    html.append("</tbody></table><h2>Dead letters</h2><p id=\"dead-letters\">")
        .append(
            kafka.deadLetters() < 0
                ? "unknown"
                : kafka.deadLetters()
                    + " records in the dead-letter topic: records a role could not decode or"
                    + " handle, kept with the reason in their headers.")
        .append("</p>");
    html.append(deadLetters(kafka.deadLetterDetail()));
    return html.toString();
  }

  private static String deadLetters(DeadLetterFeed.Snapshot dead) {
    if (dead.bySource().isEmpty()) {
      return "";
    }
    StringBuilder html =
        new StringBuilder(
            "<table class=\"dead-letters-by-source\"><thead><tr><th>Source topic</th>"
                + "<th>Dead letters</th></tr></thead><tbody>");
    dead.bySource().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                html.append("<tr><td><code>")
                    .append(esc(e.getKey()))
                    .append("</code></td><td>")
                    .append(e.getValue())
                    .append("</td></tr>"));
    html.append(
        "</tbody></table><h3>Newest</h3><table class=\"dead-letters\"><thead><tr><th>When</th>"
            + "<th>Source</th><th>Group</th><th>Hook</th><th>Why</th></tr></thead><tbody>");
    for (DeadLetterFeed.DeadLetter letter : dead.recent()) {
      html.append("<tr><td>")
          .append(time(letter.at()))
          .append("</td><td><code>")
          .append(esc(letter.sourceTopic() + " " + letter.source()))
          .append("</code></td><td>")
          .append(esc(letter.consumerGroup()))
          .append("</td><td>")
          .append(esc(letter.hookName()))
          .append("</td><td class=\"error\">")
          .append(esc(letter.error()))
          .append("</td></tr>");
    }
    return html.append("</tbody></table>").toString();
  }

  /**
   * The submit form: a job and its run config, with the problems of the last try, each with its
   * path, when there were some.
   */
  static String submit(
      List<String> jobs, String job, String config, List<String> problems, String unavailable) {
    StringBuilder html = new StringBuilder("<h1>Submit a run</h1>");
    if (!unavailable.isEmpty()) {
      return html.append("<p class=\"empty\">").append(esc(unavailable)).append("</p>").toString();
    }
    if (!problems.isEmpty()) {
      html.append("<div class=\"problems\" role=\"alert\"><p>Nothing was submitted:</p><ul>");
      problems.forEach(p -> html.append("<li>").append(esc(p)).append("</li>"));
      html.append("</ul></div>");
    }
    html.append(
        "<form class=\"submit\" method=\"post\" action=\"/submit\"><label>Job <select"
            + " name=\"job\">");
    for (String name : jobs) {
      html.append(option(name, job));
    }
    html.append(
            "</select></label><label>Run config (YAML or JSON; empty for none)<textarea"
                + " name=\"config\" rows=\"12\" spellcheck=\"false\">")
        .append(esc(config))
        .append(
            "</textarea></label><p class=\"note\">Secrets stay references: write"
                + " <code>{env: NAME}</code>, resolved on the worker.</p><button type=\"submit\""
                + " id=\"submit\">Submit</button></form>");
    return html.toString();
  }

  /** How recently a worker must have been seen to count as live. */
  static final long LIVE_WINDOW_MILLIS = 30_000;

  /** The page for a request that could not be served. */
  static String error(int status, String message) {
    String title = status == 404 ? "Not found" : status == 403 ? "Forbidden" : "Bad request";
    return "<h1>"
        + title
        + "</h1><p class=\"message\">"
        + esc(message)
        + "</p><p><a href=\"/\">Back to the runs</a></p>";
  }

  private static String shortId(String runId) {
    return runId.length() <= 8 ? runId : runId.substring(0, 8);
  }

  private static List<String> failedSteps(RunView run) {
    return run.steps.values().stream()
        .filter(s -> s.status.equals("FAILED"))
        .map(s -> s.stepKey)
        .toList();
  }
}
