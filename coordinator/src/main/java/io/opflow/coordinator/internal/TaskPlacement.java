package io.opflow.coordinator.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    List<Integer> candidates = candidates(now);
    if (candidates.isEmpty()) {
      return hashed;
    }
    int start = candidates.indexOf(hashed);
    int offset = start >= 0 ? start : hashed % candidates.size();
    int best = -1;
    for (int i = 0; i < candidates.size(); i++) {
      int partition = candidates.get((offset + i) % candidates.size());
      if (best < 0 || inFlight.on(partition) < inFlight.on(best)) {
        best = partition;
      }
    }
    return best;
  }

  // The partitions no lost worker holds; failing that, those whose last holder was seen too long
  // ago to tell.
  private List<Integer> candidates(long now) {
    List<Integer> notLost = new ArrayList<>(partitions);
    List<Integer> stale = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      if (!heldByLostWorker(p)) {
        notLost.add(p);
      } else if (now - holders.get(p).seenAt() > freshMillis) {
        stale.add(p);
      }
    }
    return notLost.isEmpty() ? stale : notLost;
  }

  private boolean heldByLostWorker(int partition) {
    Holder holder = holders.get(partition);
    return holder != null && lostWorkers.containsKey(holder.workerId());
  }

  private static int hash(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8)));
  }
}
