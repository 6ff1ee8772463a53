package io.opflow.ui.internal;

import static io.opflow.ui.internal.Html.esc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's job graph as an SVG: steps in columns by depth (a step sits right of everything it reads
 * from), each box coloured by the step's state and linking to its section, an arrow per dependency.
 * Colours come from the stylesheet through classes; nothing is styled inline.
 */
final class GraphSvg {
  private static final int BOX_WIDTH = 150;
  private static final int BOX_HEIGHT = 34;
  private static final int COLUMN_GAP = 50;
  private static final int ROW_GAP = 14;
  private static final int MAX_LABEL = 20;

  private GraphSvg() {}

  /** Renders the graph, or nothing when the run's request (and so its graph) is unknown. */
  static String of(RunView run) {
    if (run.upstream.isEmpty()) {
      return "";
    }
    Map<String, Integer> depth = new LinkedHashMap<>();
    run.upstream.keySet().forEach(step -> depthOf(step, run.upstream, depth));
    Map<Integer, List<String>> columns = new LinkedHashMap<>();
    depth.forEach((step, d) -> columns.computeIfAbsent(d, k -> new ArrayList<>()).add(step));
    Map<String, int[]> at = new HashMap<>();
    int rows = 0;
    for (Map.Entry<Integer, List<String>> column : columns.entrySet()) {
      List<String> steps = column.getValue();
      for (int row = 0; row < steps.size(); row++) {
        at.put(
            steps.get(row),
            new int[] {column.getKey() * (BOX_WIDTH + COLUMN_GAP), row * (BOX_HEIGHT + ROW_GAP)});
      }
      rows = Math.max(rows, steps.size());
    }
    int width = columns.size() * (BOX_WIDTH + COLUMN_GAP) - COLUMN_GAP + 2;
    int height = rows * (BOX_HEIGHT + ROW_GAP) - ROW_GAP + 2;
    StringBuilder svg =
        new StringBuilder("<h2>Graph</h2><div class=\"graph\"><svg role=\"img\" aria-label=\"")
            .append(esc("graph of job " + run.jobName))
            .append("\" viewBox=\"-1 -1 ")
            .append(width)
            .append(' ')
            .append(height)
            .append("\" width=\"")
            .append(width)
            .append("\" height=\"")
            .append(height)
            .append(
                "\"><defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\""
                    + " markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0 L10,5"
                    + " L0,10 z\" class=\"arrowhead\"/></marker></defs>");
    run.upstream.forEach(
        (step, froms) -> {
          for (String from : froms) {
            int[] a = at.get(from);
            int[] b = at.get(step);
            if (a != null && b != null) {
              svg.append("<line class=\"edge\" marker-end=\"url(#arrow)\" x1=\"")
                  .append(a[0] + BOX_WIDTH)
                  .append("\" y1=\"")
                  .append(a[1] + BOX_HEIGHT / 2)
                  .append("\" x2=\"")
                  .append(b[0])
                  .append("\" y2=\"")
                  .append(b[1] + BOX_HEIGHT / 2)
                  .append("\"/>");
            }
          }
        });
    for (Map.Entry<String, int[]> node : at.entrySet()) {
      String step = node.getKey();
      RunView.StepView view = run.steps.get(step);
      String status = view == null ? "PENDING" : view.status;
      String label = step.length() <= MAX_LABEL ? step : step.substring(0, MAX_LABEL - 1) + "…";
      svg.append("<a href=\"#step-")
          .append(esc(step))
          .append("\"><g class=\"node ")
          .append(esc(status.toLowerCase(Locale.ROOT).replace('_', '-')))
          .append("\" id=\"node-")
          .append(esc(step))
          .append("\"><title>")
          .append(esc(step + ": " + status))
          .append("</title><rect x=\"")
          .append(node.getValue()[0])
          .append("\" y=\"")
          .append(node.getValue()[1])
          .append("\" width=\"")
          .append(BOX_WIDTH)
          .append("\" height=\"")
          .append(BOX_HEIGHT)
          .append("\" rx=\"6\"/><text x=\"")
          .append(node.getValue()[0] + BOX_WIDTH / 2)
          .append("\" y=\"")
          .append(node.getValue()[1] + BOX_HEIGHT / 2 + 5)
          .append("\" text-anchor=\"middle\">")
          .append(esc(label))
          .append("</text></g></a>");
    }
    return svg.append("</svg></div>").toString();
  }

  // Longest path from a root; a step on a cycle (never in a valid snapshot) stays in column 0.
  private static int depthOf(
      String step, Map<String, List<String>> upstream, Map<String, Integer> depth) {
    Integer known = depth.get(step);
    if (known != null) {
      return known;
    }
    depth.put(step, 0);
    int d = 0;
    for (String from : upstream.getOrDefault(step, List.of())) {
      if (upstream.containsKey(from)) {
        d = Math.max(d, depthOf(from, upstream, depth) + 1);
      }
    }
    depth.put(step, d);
    return d;
  }
}
