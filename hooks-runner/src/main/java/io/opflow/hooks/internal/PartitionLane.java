package io.opflow.hooks.internal;

import io.opflow.runtime.spi.Threads;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of one owned partition, handled one at a time in offset order on the lane's own
 * thread, so a run's events keep their order while other partitions' runs proceed in parallel.
 *
 * <p>Every record given to the lane is settled exactly once: {@link #done} when its effects are
 * safe (its offset may then be committed), or {@link #abandon} when the lane gives up on it (it is
 * not committed, and the partition's next owner reads it again). {@link #drain} stops the lane when
 * its partition goes: records not started are abandoned, the one in hand may finish within a bound,
 * and after that nothing the lane finishes is marked done any more.
 */
final class PartitionLane {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionLane.class);

  private final TopicPartition partition;
  private final PartitionLaneHandler handler;
  private final Consumer<ConsumerRecord<?, ?>> markDone;
  private final Consumer<Throwable> fail;
  private final ExecutorService thread;
  private final AtomicBoolean sweepQueued = new AtomicBoolean();
  private final Set<Runnable> onClosing = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;
  private int unsettled; // guarded by this
  private boolean revoked; // guarded by this

  /**
   * Creates a lane and its thread.
   *
   * @param markDone marks a record done in the poll loop's offset tracker
   * @param fail stops the poll loop on an error no record can recover from
   */
  PartitionLane(
      TopicPartition partition,
      PartitionLaneHandler handler,
      Consumer<ConsumerRecord<?, ?>> markDone,
      Consumer<Throwable> fail) {
    this.partition = partition;
    this.handler = handler;
    this.markDone = markDone;
    this.fail = fail;
    this.thread =
        Executors.newSingleThreadExecutor(
            Threads.daemon("opflow-hooks-lane-" + partition.topic() + "-" + partition.partition()));
  }

  TopicPartition partition() {
    return partition;
  }

  /** Queues a record; the poll thread calls this in offset order. */
  void submit(ConsumerRecord<byte[], byte[]> record) {
    synchronized (this) {
      unsettled++;
    }
    if (!execute(() -> handle(record))) {
      abandon(record);
    }
  }

  /** Queues a sweep unless one is already queued, so a stuck lane does not pile them up. */
  void sweep() {
    if (sweepQueued.compareAndSet(false, true)) {
      execute(
          () -> {
            sweepQueued.set(false);
            handler.sweep();
          });
    }
  }

  /** Tells the handler, on the lane's thread, that a run ended. */
  void runEnded(String runId) {
    execute(() -> handler.runEnded(runId));
  }

  /** Returns whether the lane is being drained: a handler starts no new work then. */
  boolean closing() {
    return closing;
  }

  /** Marks a record done: its effects are safe. Callable from any thread, once per record. */
  void done(ConsumerRecord<?, ?> record) {
    synchronized (this) {
      // After a drain the partition may be owned by someone else, or again by this consumer under
      // a fresh offset tracker: a late done must not count there.
      if (!revoked) {
        markDone.accept(record);
      }
    }
    settle();
  }

  /** Gives up on a record: it is not done, and is read again by the partition's next owner. */
  void abandon(ConsumerRecord<?, ?> record) {
    settle();
  }

  /** Stops the poll loop: something went wrong that no record can recover from. */
  void fail(Throwable cause) {
    fail.accept(cause);
  }

  /**
   * Starts draining: records not started yet are abandoned, the one in hand stops early, and work
   * waiting to come back to the lane (a hook's later try) is given up.
   */
  void startClosing() {
    closing = true;
    for (Runnable giveUp : List.copyOf(onClosing)) {
      onClosing.remove(giveUp);
      giveUp.run();
    }
  }

  /**
   * Registers what to run when the lane starts closing (at once if it has), for work that will come
   * back to the lane later; returns it, to pass to {@link #forgetWhenClosing}.
   */
  Runnable whenClosing(Runnable giveUp) {
    onClosing.add(giveUp);
    if (closing && onClosing.remove(giveUp)) {
      giveUp.run();
    }
    return giveUp;
  }

  /** Forgets what {@link #whenClosing} registered, once the work came back. */
  void forgetWhenClosing(Runnable giveUp) {
    onClosing.remove(giveUp);
  }

  /**
   * Runs a task on the lane's thread after the records queued so far.
   *
   * @return false when the lane is gone and the task will never run
   */
  boolean later(Runnable task) {
    return execute(task);
  }

  /**
   * Drains the lane: waits up to {@code timeout} for the record in hand and the acknowledgements of
   * its hook events, then lets nothing more be marked done, and lets the thread end once the
   * handler is closed.
   *
   * @return true when every record was settled in time
   */
  boolean drain(Duration timeout) {
    startClosing();
    boolean settled = awaitSettled(timeout);
    synchronized (this) {
      revoked = true;
    }
    execute(handler::close);
    thread.shutdown();
    if (!settled) {
      LOG.warn(
          "Partition lane of {} still had work after {}; its records are left to the partition's next owner",
          partition,
          timeout);
    }
    return settled;
  }

  private synchronized boolean awaitSettled(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (unsettled > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private synchronized void settle() {
    unsettled--;
    notifyAll();
  }

  private void handle(ConsumerRecord<byte[], byte[]> record) {
    if (closing) {
      abandon(record);
      return;
    }
    try {
      handler.handle(record, this);
    } catch (RuntimeException | Error e) {
      // Handlers settle every record they are given; anything escaping is a bug, and skipping the
      // record silently could lose a hook.
      abandon(record);
      fail(new IllegalStateException("Handling " + describe(record) + " failed unexpectedly", e));
    }
  }

  private boolean execute(Runnable task) {
    try {
      thread.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false; // drained: the lane is gone
    }
  }

  static String describe(ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }
}
