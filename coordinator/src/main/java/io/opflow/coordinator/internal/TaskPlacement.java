package io.opflow.coordinator.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;

/**
 * Chooses the {@code step-tasks} partition of each task: where the fewest steps are in flight
 * ({@link TasksInFlight}), so that no worker is handed a longer queue than another while both hold
 * as many partitions, and never where a worker the coordinator declared lost was last seen running
 * tasks: until the group notices the dead member (a session timeout, 45 s by default), its
 * partitions are read by no one.
 *
 * <p>Ownership is learnt from the steps themselves: a worker that starts a task read from partition
 * p holds p. Shared by the stream tasks of one coordinator; thread-safe.
 */
final class TaskPlacement {

  private record Holder(String workerId, long seenAt) {}

  private final int partitions;
  private final long freshMillis;
  private final Map<Integer, Holder> holders = new ConcurrentHashMap<>();
  private final Map<String, Long> lostWorkers = new ConcurrentHashMap<>();

  /**
   * Creates a placement.
   *
   * @param partitions the partition count of {@code step-tasks}
   * @param freshMillis how long an observation of a partition's worker counts as current
   */
  TaskPlacement(int partitions, long freshMillis) {
    this.partitions = partitions;
    this.freshMillis = freshMillis;
  }

  int partitions() {
    return partitions;
  }

  /** Records that a worker runs a task read from {@code partition}; it is alive. */
  void workerSeen(String workerId, int partition, long now) {
    if (workerId == null) {
      return;
    }
    lostWorkers.remove(workerId);
    if (partition >= 0 && partition < partitions) {
      holders.put(partition, new Holder(workerId, now));
    }
  }

  /** Records that a worker was declared lost: its partitions are avoided until seen again. */
  void workerLost(String workerId, long now) {
    if (workerId != null) {
      lostWorkers.put(workerId, now);
    }
  }

  /**
   * Returns the partition for a task: of the partitions no lost worker holds, the one with the
   * fewest of this stream task's steps in flight; among equals, the first from the one the task key
   * hashes to, so that an idle coordinator spreads tasks as the hash does.
   *
   * @param taskKey the task's key
   * @param now the coordinator's clock, epoch millis
   * @param inFlight the steps in flight per partition
   * @return the partition
   */
  int choose(String taskKey, long now, TasksInFlight inFlight) {
    int hashed = hash(taskKey) % partitions;
    IntPredicate allowed = allowed(now);
    int best = -1;
    for (int i = 0; i < partitions; i++) {
      int partition = (hashed + i) % partitions;
      if (allowed.test(partition) && (best < 0 || inFlight.on(partition) < inFlight.on(best))) {
        best = partition;
      }
    }
    return best < 0 ? hashed : best;
  }

  // The partitions no lost worker holds; failing that, those whose last holder was seen too long
  // ago to tell. Nothing to check, and nothing allocated, while no worker is lost.
  private IntPredicate allowed(long now) {
    if (lostWorkers.isEmpty()) {
      return partition -> true;
    }
    if (IntStream.range(0, partitions).anyMatch(p -> !heldByLostWorker(p))) {
      return partition -> !heldByLostWorker(partition);
    }
    return partition -> now - holders.get(partition).seenAt() > freshMillis;
  }

  private boolean heldByLostWorker(int partition) {
    Holder holder = holders.get(partition);
    return holder != null && lostWorkers.containsKey(holder.workerId());
  }

  private static int hash(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8)));
  }
}
