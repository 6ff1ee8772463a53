package io.opflow.runtime.internal;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which consumed offsets may be committed: an offset is committable only once the record at it and
 * every earlier record taken from its partition are done, that is, once their effects (events sent
 * and acknowledged, hooks fired) are safe. Records finish out of order (sends are acknowledged on
 * the producer's thread, hooks run on lanes); the committable position of a partition is the first
 * offset taken but not yet done.
 *
 * <p>{@link #taken} and {@link #committable} are called by the poll thread, {@link #done} from any
 * thread.
 */
public final class OffsetTracker {

  /** The offsets of one partition taken and not yet committable, in the order taken. */
  private static final class Pending {
    private final Deque<Long> taken = new ArrayDeque<>();
    private final TreeSet<Long> done = new TreeSet<>();
    private long next = -1;
    private long committed = -1;

    void take(long offset) {
      taken.addLast(offset);
      next = offset + 1;
    }

    void finish(long offset) {
      done.add(offset);
      while (!taken.isEmpty() && done.remove(taken.peekFirst())) {
        taken.pollFirst();
      }
    }

    /** The offset to commit: the first unfinished one, or past the last taken. */
    long position() {
      return taken.isEmpty() ? next : taken.peekFirst();
    }
  }

  private final Map<TopicPartition, Pending> partitions = new HashMap<>();

  /** Records that the record at {@code offset} was taken for handling; call in offset order. */
  public synchronized void taken(TopicPartition partition, long offset) {
    partitions.computeIfAbsent(partition, p -> new Pending()).take(offset);
  }

  /** Records that the record at {@code offset} is done; any thread, any order. */
  public synchronized void done(TopicPartition partition, long offset) {
    Pending pending = partitions.get(partition);
    if (pending != null) {
      pending.finish(offset);
    }
  }

  /** Returns how many records of a partition were taken and are not yet done. */
  public synchronized int inFlight(TopicPartition partition) {
    Pending pending = partitions.get(partition);
    return pending == null ? 0 : pending.taken.size() - pending.done.size();
  }

  /**
   * Returns the positions that moved since they were last returned, and marks them as returned. A
   * failed commit does not lose them for good: the next successful commit of a later position
   * covers them.
   */
  public synchronized Map<TopicPartition, OffsetAndMetadata> committable() {
    Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
    partitions.forEach(
        (partition, pending) -> {
          long position = pending.position();
          if (position > pending.committed) {
            positions.put(partition, new OffsetAndMetadata(position));
            pending.committed = position;
          }
        });
    return positions;
  }

  /**
   * Forgets which positions {@link #committable} returned, so that it returns every position again;
   * for retrying a commit known to have failed.
   */
  public synchronized void forgetReturned() {
    partitions.values().forEach(pending -> pending.committed = -1);
  }

  /** Forgets partitions this consumer no longer owns; late {@link #done} calls are ignored. */
  public synchronized void forget(Collection<TopicPartition> gone) {
    gone.forEach(partitions::remove);
  }
}
