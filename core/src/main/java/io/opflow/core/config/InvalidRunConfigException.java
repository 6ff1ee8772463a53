package io.opflow.core.config;

import io.opflow.core.OpflowException;
import java.util.List;

/**
 * Thrown when a run config cannot be parsed, does not have the expected shape, or does not match
 * the config types of its ops and resources. It lists every problem found, not only the first, and
 * never includes the value of an environment variable.
 */
public final class InvalidRunConfigException extends OpflowException {
  private static final long serialVersionUID = 1L;

  /** The problems, kept immutable; a list of records is serializable. */
  @SuppressWarnings("serial")
  private final List<ConfigProblem> problems;

  /**
   * Creates an exception listing the given problems, in the order given.
   *
   * @param problems every problem found; should not be empty
   */
  public InvalidRunConfigException(List<ConfigProblem> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  /** Returns every problem found, in the order they were found. */
  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String message(List<ConfigProblem> problems) {
    int count = problems.size();
    StringBuilder text = new StringBuilder("Invalid run config (").append(count);
    text.append(count == 1 ? " problem):" : " problems):");
    for (ConfigProblem problem : problems) {
      text.append("\n  - ").append(problem);
    }
    return text.toString();
  }
}
