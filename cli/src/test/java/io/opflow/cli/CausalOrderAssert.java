package io.opflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks progress lines of one run for causal order, as {@code submit --watch} prints them. */
final class CausalOrderAssert {
  private static final Pattern STEP =
      Pattern.compile("run \\S+ step (\\S+) attempt (\\d+) (?:hook (\\S+) )?([A-Z_]+).*");
  private static final Set<String> ATTEMPT_ENDS =
      Set.of("SUCCEEDED", "FAILED", "SKIPPED", "UP_FOR_RETRY");

  private CausalOrderAssert() {}

  /**
   * Asserts the run's start comes first and its end last, each step attempt starts before it ends
   * (a skipped step never starts), and each hook comes after the end of its step attempt.
   *
   * @param lines progress lines of one run, without the final summary line
   */
  static void assertCausalOrder(List<String> lines) {
    assertThat(lines).as("progress").isNotEmpty();
    assertThat(lines.get(0)).as("first line of %s", lines).matches("run \\S+ job \\S+ STARTED");
    assertThat(lines.get(lines.size() - 1))
        .as("last line of %s", lines)
        .matches("run \\S+ job \\S+ (SUCCEEDED|FAILED|CANCELED).*");
    Set<String> started = new HashSet<>();
    Set<String> ended = new HashSet<>();
    for (String line : lines.subList(1, lines.size() - 1)) {
      Matcher m = STEP.matcher(line);
      assertThat(m.matches()).as("a step or hook line: %s", line).isTrue();
      String attempt = m.group(1) + "#" + m.group(2);
      String status = m.group(4);
      if (m.group(3) != null) {
        assertThat(ended).as("%s comes after its step ended, in %s", line, lines).contains(attempt);
      } else if (status.equals("STARTED")) {
        started.add(attempt);
      } else if (ATTEMPT_ENDS.contains(status)) {
        if (!status.equals("SKIPPED")) {
          assertThat(started).as("%s comes after its start, in %s", line, lines).contains(attempt);
        }
        ended.add(attempt);
      }
    }
  }
}
