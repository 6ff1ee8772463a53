package io.opflow.hooks.internal;

import io.opflow.runtime.spi.Threads;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the {@link HookLedger}s of newly owned step-events partitions on its own thread, so a
 * long read of {@code hook-events} never holds up polling (the partitions' lanes wait for their
 * ledger, fill up, and get paused). A read that fails is retried until it succeeds or its
 * partitions are gone: it never stops the hooks-runner.
 */
final class LedgerLoader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerLoader.class);

  /**
   * The ledger of one step-events partition, and where its hook events go.
   *
   * @param ledger what has fired for the partition
   * @param hookPartition the hook-events partition to write to (the same number), or null to
   *     partition by key when the two topics' partition counts differ
   */
  record PartitionLedger(HookLedger ledger, Integer hookPartition) {}

  private static final long LEDGER_WAIT_MILLIS = 200;

  private final LedgerReader reader;
  private final String stepEventsTopic;
  private final Runnable flushSends;
  private final Duration retryBackoff;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(Threads.daemon("opflow-hooks-ledger"));
  private volatile boolean closed;

  /**
   * Creates a loader.
   *
   * @param flushSends waits until every hook event sent so far is acknowledged or failed, so a
   *     ledger read afterwards holds them (a partition revoked and given back to this process)
   */
  LedgerLoader(
      LedgerReader reader, String stepEventsTopic, Runnable flushSends, Duration retryBackoff) {
    this.reader = reader;
    this.stepEventsTopic = stepEventsTopic;
    this.flushSends = flushSends;
    this.retryBackoff = retryBackoff;
  }

  /**
   * Waits on a lane's thread for its partition's ledger, checking now and then whether the
   * partition is going.
   *
   * @return the ledger, or null when the partition went (or the read was canceled) first
   */
  static PartitionLedger await(CompletableFuture<PartitionLedger> ledger, PartitionLane lane) {
    while (!lane.closing()) {
      try {
        return ledger.get(LEDGER_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // still loading; check whether the partition is going, then wait on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      } catch (ExecutionException | CancellationException e) {
        return null;
      }
    }
    return null;
  }

  /**
   * Starts rebuilding the ledgers of step-events partitions; cancel a partition's future when the
   * partition goes before it is done.
   *
   * @return one future per partition
   */
  Map<Integer, CompletableFuture<PartitionLedger>> load(Collection<Integer> stepPartitions) {
    return load(stepPartitions, stepEventsTopic);
  }

  /**
   * Starts rebuilding the ledgers of partitions of {@code sourceTopic} ({@code step-events}, or
   * {@code run-events} for sensors): each from the {@code hook-events} partition of its number when
   * the two topics have as many partitions, or from all of them.
   *
   * @return one future per partition
   */
  Map<Integer, CompletableFuture<PartitionLedger>> load(
      Collection<Integer> partitions, String sourceTopic) {
    Map<Integer, CompletableFuture<PartitionLedger>> futures = new HashMap<>();
    partitions.forEach(p -> futures.put(p, new CompletableFuture<>()));
    try {
      thread.execute(() -> loadUntilDone(futures, sourceTopic));
    } catch (RejectedExecutionException e) {
      futures.values().forEach(f -> f.cancel(false)); // closing
    }
    return futures;
  }

  private void loadUntilDone(
      Map<Integer, CompletableFuture<PartitionLedger>> futures, String sourceTopic) {
    while (!closed && wanted(futures)) {
      try {
        loadOnce(futures, sourceTopic);
        return;
      } catch (WakeupException e) {
        return; // closing
      } catch (RuntimeException e) {
        LOG.warn(
            "Rebuilding the hook ledgers of {} partitions {} failed; retrying in {}: {}",
            sourceTopic,
            pending(futures),
            retryBackoff,
            e.toString());
        if (!sleep(retryBackoff)) {
          return;
        }
      }
    }
  }

  private void loadOnce(
      Map<Integer, CompletableFuture<PartitionLedger>> futures, String sourceTopic) {
    flushSends.run();
    int hookPartitions = reader.partitionCount();
    boolean samePartitionCount = hookPartitions == reader.partitionCount(sourceTopic);
    List<Integer> wanted = pending(futures);
    List<Integer> toRead = wanted;
    if (!samePartitionCount) {
      LOG.warn(
          "{} and the hook-events topic have different partition counts; reading every"
              + " hook-events partition for each of its partitions",
          sourceTopic);
      toRead = IntStream.range(0, hookPartitions).boxed().toList();
    }
    Map<Integer, HookLedger> ledgers =
        reader.read(wanted, toRead, samePartitionCount, () -> !closed && wanted(futures));
    if (ledgers != null) {
      ledgers.forEach(
          (p, ledger) ->
              futures.get(p).complete(new PartitionLedger(ledger, samePartitionCount ? p : null)));
    }
  }

  private static boolean wanted(Map<Integer, CompletableFuture<PartitionLedger>> futures) {
    return futures.values().stream().anyMatch(f -> !f.isDone());
  }

  private static List<Integer> pending(Map<Integer, CompletableFuture<PartitionLedger>> futures) {
    return futures.entrySet().stream()
        .filter(e -> !e.getValue().isDone())
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  private static boolean sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Stops loading and closes the reader on the loader's own thread (its consumer is not shared).
   */
  @Override
  public void close() {
    closed = true;
    try {
      thread.execute(reader::close);
    } catch (RejectedExecutionException e) {
      return; // already closed
    }
    thread.shutdown();
    reader.wakeup();
    try {
      if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("The hook ledger reader did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
