package io.opflow.core;

import java.util.List;

/**
 * Thrown when a job, graph or definitions set is not valid: a cycle, a missing input, a duplicate
 * node name, or a hook or op that needs a resource the job does not provide. The message names
 * every culprit.
 */
public class DefinitionException extends OpflowException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  /** Creates an exception listing every problem found in the definition named {@code subject}. */
  public DefinitionException(String subject, List<String> problems) {
    super(format(subject, problems));
    this.problems = List.copyOf(problems);
  }

  /** Returns each problem found, one sentence each. */
  public List<String> problems() {
    return problems;
  }

  private static String format(String subject, List<String> problems) {
    if (problems.size() == 1) {
      return "Invalid " + subject + ": " + problems.get(0);
    }
    StringBuilder message = new StringBuilder("Invalid " + subject + " (" + problems.size());
    message.append(" problems):");
    problems.forEach(problem -> message.append("\n  - ").append(problem));
    return message.toString();
  }
}
