package io.opflow.coordinator.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.utils.Utils;

/**
 * Chooses the {@code step-tasks} partition of each task so that no task waits on a worker the
 * coordinator declared lost. A task goes to the partition its key hashes to, unless the worker last
 * seen running tasks from that partition was declared lost: until the group notices the dead member
 * (a session timeout, 45 s by default), its partitions are read by no one, so the task goes to a
 * partition last seen on a live worker instead.
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

  /** Returns the partition for a task key. */
  int choose(String taskKey, long now) {
    int hashed = hash(taskKey) % partitions;
    if (!heldByLostWorker(hashed)) {
      return hashed;
    }
    List<Integer> live = new ArrayList<>();
    List<Integer> unknown = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      Holder holder = holders.get(p);
      if (holder == null || now - holder.seenAt() > freshMillis) {
        unknown.add(p);
      } else if (!lostWorkers.containsKey(holder.workerId())) {
        live.add(p);
      }
    }
    List<Integer> candidates = live.isEmpty() ? unknown : live;
    return candidates.isEmpty() ? hashed : candidates.get(hash(taskKey) % candidates.size());
  }

  private boolean heldByLostWorker(int partition) {
    Holder holder = holders.get(partition);
    return holder != null && lostWorkers.containsKey(holder.workerId());
  }

  private static int hash(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8)));
  }
}
