package io.opflow.client.internal;

import io.opflow.client.RunUpdate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Passes the updates of one run on in causal order, whatever order the three event topics were read
 * in: the run's start first, then each step's updates in the order written (they share one
 * partition), each hook after the end of the step attempt it belongs to, and the run's end last.
 *
 * <p>Updates that arrive early are held back. The run's end is held until {@link #flush()}, which
 * the reader calls once it knows nothing written before the end is still unread; flush also
 * releases, in arrival order, anything still held (a hook of an attempt whose end never came).
 */
public final class CausalOrder {
  private static final Set<String> ATTEMPT_ENDS =
      Set.of("SUCCEEDED", "FAILED", "SKIPPED", "UP_FOR_RETRY");

  private final Consumer<RunUpdate> downstream;
  private final List<RunUpdate> beforeRunStart = new ArrayList<>();
  private final Map<String, List<RunUpdate>> hooksBeforeStepEnd = new LinkedHashMap<>();
  private final Set<String> endedAttempts = new HashSet<>();
  private final List<RunUpdate> runEnds = new ArrayList<>();
  private boolean runStarted;

  /**
   * Creates an ordering stage.
   *
   * @param downstream receives the updates in causal order
   */
  public CausalOrder(Consumer<RunUpdate> downstream) {
    this.downstream = downstream;
  }

  /**
   * Takes one update, as read; passes it and whatever it unblocks on, or holds it back.
   *
   * @param update the update
   */
  public void accept(RunUpdate update) {
    switch (update.source()) {
      case RUN -> acceptRun(update);
      case STEP -> acceptStep(update);
      case HOOK -> acceptHook(update);
      case SENSOR -> runEnds.add(update); // a sensor fires once its run has ended
    }
  }

  /** Releases everything held, the run's end last. */
  public void flush() {
    runStarted = true;
    List<RunUpdate> steps = new ArrayList<>(beforeRunStart);
    beforeRunStart.clear();
    steps.forEach(this::releaseStep);
    hooksBeforeStepEnd.values().forEach(hooks -> hooks.forEach(downstream));
    hooksBeforeStepEnd.clear();
    runEnds.forEach(downstream);
    runEnds.clear();
  }

  private void acceptRun(RunUpdate update) {
    if (!"STARTED".equals(update.status())) {
      runEnds.add(update);
      return;
    }
    downstream.accept(update);
    runStarted = true;
    List<RunUpdate> held = new ArrayList<>(beforeRunStart);
    beforeRunStart.clear();
    held.forEach(this::releaseStep);
  }

  private void acceptStep(RunUpdate update) {
    if (runStarted) {
      releaseStep(update);
    } else {
      beforeRunStart.add(update);
    }
  }

  private void releaseStep(RunUpdate step) {
    downstream.accept(step);
    if (ATTEMPT_ENDS.contains(step.status())) {
      String attempt = attemptKey(step);
      endedAttempts.add(attempt);
      List<RunUpdate> hooks = hooksBeforeStepEnd.remove(attempt);
      if (hooks != null) {
        hooks.forEach(downstream);
      }
    }
  }

  private void acceptHook(RunUpdate hook) {
    String attempt = attemptKey(hook);
    if (endedAttempts.contains(attempt)) {
      downstream.accept(hook);
    } else {
      hooksBeforeStepEnd.computeIfAbsent(attempt, k -> new ArrayList<>()).add(hook);
    }
  }

  private static String attemptKey(RunUpdate update) {
    return update.stepKey() + "#" + update.attempt();
  }

  /**
   * Returns updates of one run in causal order.
   *
   * @param updates the updates of one run, in the order read
   * @return the same updates, reordered
   */
  public static List<RunUpdate> sort(List<RunUpdate> updates) {
    List<RunUpdate> sorted = new ArrayList<>();
    CausalOrder order = new CausalOrder(sorted::add);
    updates.forEach(order::accept);
    order.flush();
    return sorted;
  }
}
