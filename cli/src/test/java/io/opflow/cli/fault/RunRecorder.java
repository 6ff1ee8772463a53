package io.opflow.cli.fault;

import io.opflow.client.OpflowClient;
import io.opflow.client.RunOutcome;
import io.opflow.client.RunUpdate;
import io.opflow.client.RunWatch;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Watches one run on a thread of its own and records each update with the wall-clock time this JVM
 * received it, so a test can wait for a given update and time it.
 */
final class RunRecorder implements AutoCloseable {
  /** An update and when it was read, in epoch milliseconds. */
  record Received(RunUpdate update, long receivedAtMillis) {}

  private static final Duration SLICE = Duration.ofSeconds(1);

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile boolean stopped;
  private final RunWatch watch;
  private final CompletableFuture<RunOutcome> outcome;

  RunRecorder(OpflowClient client, String runId, Duration timeout) {
    this.watch =
        client
            .watch(runId)
            .onUpdate(u -> received.add(new Received(u, System.currentTimeMillis())));
    this.outcome =
        CompletableFuture.supplyAsync(
            () -> follow(timeout), task -> new Thread(task, "run-recorder").start());
  }

  /**
   * Awaits in slices so {@link #close()} can stop it; {@link RunWatch#await} returns before its
   * timeout only when the watch is complete.
   */
  private RunOutcome follow(Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!stopped && System.nanoTime() < end) {
      long start = System.nanoTime();
      RunOutcome sofar = watch.await(SLICE);
      if (System.nanoTime() - start < SLICE.toNanos()) {
        return sofar;
      }
    }
    return watch.outcome();
  }

  /** Returns the first update of a step attempt with the status, if read yet. */
  Optional<Received> step(String stepKey, int attempt, String status) {
    return received.stream()
        .filter(r -> r.update().source() == RunUpdate.Source.STEP)
        .filter(r -> r.update().stepKey().equals(stepKey))
        .filter(r -> r.update().attempt() == attempt && r.update().status().equals(status))
        .findFirst();
  }

  /** Waits for the watch to end: the run is over and its terminal steps' hooks reported. */
  RunOutcome outcome(Duration timeout) throws Exception {
    return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    stopped = true;
    outcome.join();
    watch.close();
  }
}
