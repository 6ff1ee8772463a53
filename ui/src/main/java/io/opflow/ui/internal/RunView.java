package io.opflow.ui.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the UI knows of one run, folded from its events. Mutated only by the {@link RunsView} that
 * holds it, under that view's lock; pages read copies.
 */
final class RunView {
  /** Events kept per run for its event log; older ones are dropped, the count stays. */
  static final int MAX_EVENTS = 2000;

  final String runId;
  String jobName = "";
  String status = "STARTED";
  long startedAt;
  long endedAt;
  String message = "";

  /** The run this one re-executes, or empty. */
  String parentRunId = "";

  final Map<String, StepView> steps = new LinkedHashMap<>();

  /** Each step's inputs and where each comes from, from the job snapshot; empty if unknown. */
  final Map<String, List<InputView>> inputs = new LinkedHashMap<>();

  /** Each step's upstream steps, from the job snapshot; empty if the request was not read. */
  final Map<String, List<String>> upstream = new LinkedHashMap<>();

  /** Each step's config as submitted ({@code {env: NAME}} unresolved), as JSON. */
  final Map<String, String> configs = new LinkedHashMap<>();

  final List<EventLine> events = new ArrayList<>();
  long eventCount;

  RunView(String runId) {
    this.runId = runId;
  }

  boolean ended() {
    return !status.equals("STARTED");
  }

  StepView step(String stepKey) {
    return steps.computeIfAbsent(stepKey, StepView::new);
  }

  void log(EventLine line) {
    eventCount++;
    if (events.size() >= MAX_EVENTS) {
      events.remove(0);
    }
    events.add(line);
  }

  /** One step of the run: its attempts and its hooks. */
  static final class StepView {
    final String stepKey;
    String opName = "";
    String status = "PENDING";
    final TreeMap<Integer, AttemptView> attempts = new TreeMap<>();
    final List<HookView> hooks = new ArrayList<>();

    StepView(String stepKey) {
      this.stepKey = stepKey;
    }

    AttemptView attempt(int attempt) {
      return attempts.computeIfAbsent(attempt, AttemptView::new);
    }
  }

  /**
   * One input of a step.
   *
   * @param name the input's name
   * @param fromStep the upstream step it reads
   * @param fromOutput the output of that step it reads
   */
  record InputView(String name, String fromStep, String fromOutput) {
    @Override
    public String toString() {
      return name + " <- " + fromStep + "." + fromOutput;
    }
  }

  /**
   * Returns the value an input read, as JSON: the output of the upstream step's attempt that
   * succeeded (or was reused); empty while there is none.
   */
  java.util.Optional<String> valueOf(InputView input) {
    StepView upstream = steps.get(input.fromStep());
    if (upstream == null) {
      return java.util.Optional.empty();
    }
    return upstream.attempts.descendingMap().values().stream()
        .filter(a -> a.status.equals("SUCCEEDED") || a.status.equals("REUSED"))
        .map(a -> a.outputs.get(input.fromOutput()))
        .filter(java.util.Objects::nonNull)
        .findFirst();
  }

  /** One attempt of a step. */
  static final class AttemptView {
    final int attempt;
    String worker = "";
    long startedAt;
    long endedAt;
    String status = "";
    String errorType = "";
    String errorMessage = "";
    String stackTrace = "";
    final Map<String, String> outputs = new LinkedHashMap<>();

    AttemptView(int attempt) {
      this.attempt = attempt;
    }
  }

  /**
   * One hook outcome.
   *
   * @param stepKey the step it ran for
   * @param hookName the hook
   * @param kind success or failure hook
   * @param attempt the step attempt it concerns
   * @param status COMPLETED, SKIPPED or ERRORED
   * @param detail why it was skipped, or its error
   * @param idempotencyKey the key the hook was given
   */
  record HookView(
      String stepKey,
      String hookName,
      String kind,
      int attempt,
      String status,
      String detail,
      String idempotencyKey) {}

  /**
   * One line of the run's event log.
   *
   * @param at when it happened, epoch millis
   * @param kind run, step or hook
   * @param stepKey the step, or empty
   * @param attempt the attempt, or 0
   * @param what the event
   * @param detail what it said
   */
  record EventLine(long at, String kind, String stepKey, int attempt, String what, String detail) {}
}
