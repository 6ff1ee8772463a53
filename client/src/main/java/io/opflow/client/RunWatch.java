package io.opflow.client;

import io.opflow.client.internal.CausalOrder;
import io.opflow.client.spi.EventConsumer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Follows one run on the step, hook and run event topics, from their beginning, until it ends and
 * the hooks of its terminal steps have reported. Not thread-safe; close it when done.
 *
 * <p>The listener set with {@link #onUpdate(Consumer)} sees the run in causal order, although the
 * three topics are read side by side: the run's start, then each step's updates in the order they
 * happened, each hook after the end of the step attempt it belongs to, and the run's end last.
 */
public final class RunWatch implements AutoCloseable {
  private static final List<String> TERMINAL_STEPS = List.of("SUCCEEDED", "FAILED", "SKIPPED");
  private static final List<String> RUN_ENDS = List.of("SUCCEEDED", "FAILED", "CANCELED");

  private final String runId;
  private final EventConsumer consumer;
  private final Map<String, Integer> hooksPerStep;
  private final List<RunUpdate> steps = new ArrayList<>();
  private final List<RunUpdate> hooks = new ArrayList<>();
  private final List<RunUpdate> runUpdates = new ArrayList<>();
  private final CausalOrder order = new CausalOrder(u -> listener().accept(u));
  private Consumer<RunUpdate> listener = u -> {};
  private String status = "REQUESTED";
  private Map<TopicPartition, Long> endsWhenRunEnded;

  RunWatch(String runId, EventConsumer consumer, Map<String, Integer> hooksPerStep) {
    this.runId = runId;
    this.consumer = consumer;
    this.hooksPerStep = hooksPerStep;
  }

  /**
   * Sets a listener called with each update, in causal order, as soon as what comes before it has
   * been read: for live progress.
   *
   * @param listener the listener
   * @return this watch
   */
  public RunWatch onUpdate(Consumer<RunUpdate> listener) {
    this.listener = listener;
    return this;
  }

  /**
   * Returns the run id.
   *
   * @return the run id
   */
  public String runId() {
    return runId;
  }

  /**
   * Reads until the run has a terminal run event, every event written before it has been read and,
   * when the run was submitted by this client, every hook of every terminal step has reported; or
   * until the timeout. Either way the listener has then seen every update read.
   *
   * @param timeout how long to wait at most
   * @return the outcome; its status is not terminal when the timeout passed first
   */
  public RunOutcome await(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (!complete() && Instant.now().isBefore(deadline)) {
      for (RunUpdate u : consumer.poll(Duration.ofMillis(100))) {
        record(u);
      }
    }
    order.flush();
    return outcome();
  }

  /**
   * Returns what has been read so far.
   *
   * @return the outcome so far
   */
  public RunOutcome outcome() {
    return new RunOutcome(runId, status, steps, hooks, runUpdates);
  }

  private Consumer<RunUpdate> listener() {
    return listener;
  }

  private void record(RunUpdate u) {
    switch (u.source()) {
      case STEP -> steps.add(u);
      case HOOK -> hooks.add(u);
      case RUN -> {
        runUpdates.add(u);
        status = u.status();
      }
      case SENSOR -> runUpdates.add(u);
    }
    if (endsWhenRunEnded == null && RUN_ENDS.contains(status)) {
      // Whatever was written before the run's end (skipped steps, say) lies below these offsets.
      endsWhenRunEnded = consumer.endOffsetsNow();
    }
    order.accept(u);
  }

  private boolean complete() {
    if (endsWhenRunEnded == null || !consumer.reached(endsWhenRunEnded)) {
      return false;
    }
    if (hooksPerStep == null) {
      return true;
    }
    Map<String, Integer> reported = new HashMap<>();
    for (RunUpdate h : hooks) {
      reported.merge(h.stepKey() + "#" + h.attempt(), 1, Integer::sum);
    }
    return steps.stream()
        .filter(s -> TERMINAL_STEPS.contains(s.status()))
        .allMatch(
            s ->
                reported.getOrDefault(s.stepKey() + "#" + s.attempt(), 0)
                    >= hooksPerStep.getOrDefault(s.stepKey(), 0));
  }

  @Override
  public void close() {
    consumer.close();
  }
}
