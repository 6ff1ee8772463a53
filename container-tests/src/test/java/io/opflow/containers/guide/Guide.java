package io.opflow.containers.guide;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The steps of a Markdown guide that a test follows. A step is a fenced block introduced by an HTML
 * comment that readers do not see:
 *
 * <ul>
 *   <li>{@code <!-- test: file PATH -->}: the block is a file to write;
 *   <li>{@code <!-- test: run -->}: the block is commands to run, in bash, which must succeed;
 *   <li>{@code <!-- test: start NAME until "TEXT" -->}: the block is a command that keeps running,
 *       ready once its output holds TEXT;
 *   <li>{@code <!-- test: output -->}: the block is what the step before printed.
 * </ul>
 *
 * <p>{@code <!-- test part: NAME -->} starts a part; steps before the first one are common to all.
 */
record Guide(List<Step> steps) {
  private static final Pattern DIRECTIVE = Pattern.compile("<!-- test: (.+?) -->");
  private static final Pattern PART = Pattern.compile("<!-- test part: (\\S+) -->");
  private static final Pattern START = Pattern.compile("start (\\S+) until \"(.+)\"");

  /** What a step does. */
  enum Kind {
    FILE,
    RUN,
    START,
    OUTPUT
  }

  /**
   * One step.
   *
   * @param part the part it belongs to, or "" for the common steps
   * @param kind what it does
   * @param argument the file path, or the process name
   * @param until for {@link Kind#START}: the text that says it is ready
   * @param text the block's content
   */
  record Step(String part, Kind kind, String argument, String until, String text) {}

  /** Reads the steps of a guide. */
  static Guide read(Path markdown) throws IOException {
    List<String> lines = Files.readAllLines(markdown);
    List<Step> steps = new ArrayList<>();
    String part = "";
    for (int i = 0; i < lines.size(); i++) {
      Matcher partMatch = PART.matcher(lines.get(i).strip());
      if (partMatch.matches()) {
        part = partMatch.group(1);
        continue;
      }
      Matcher directive = DIRECTIVE.matcher(lines.get(i).strip());
      if (!directive.matches()) {
        continue;
      }
      int fence = i + 1;
      if (fence >= lines.size() || !lines.get(fence).startsWith("```")) {
        throw new IllegalStateException(
            "line " + (i + 1) + " of " + markdown + ": a test directive must precede a ``` block");
      }
      int end = fence + 1;
      while (!lines.get(end).startsWith("```")) {
        end++;
      }
      String text = String.join("\n", lines.subList(fence + 1, end)) + "\n";
      steps.add(step(part, directive.group(1), text));
      i = end;
    }
    return new Guide(steps);
  }

  private static Step step(String part, String directive, String text) {
    if (directive.startsWith("file ")) {
      return new Step(part, Kind.FILE, directive.substring(5).strip(), null, text);
    }
    Matcher start = START.matcher(directive);
    if (start.matches()) {
      return new Step(part, Kind.START, start.group(1), start.group(2), text);
    }
    return switch (directive) {
      case "run" -> new Step(part, Kind.RUN, null, null, text);
      case "output" -> new Step(part, Kind.OUTPUT, null, null, text);
      default -> throw new IllegalStateException("unknown test directive: " + directive);
    };
  }

  /** Returns the common steps and those of one part, in order. */
  List<Step> stepsOf(String wanted) {
    return steps.stream().filter(s -> s.part().isEmpty() || s.part().equals(wanted)).toList();
  }
}
