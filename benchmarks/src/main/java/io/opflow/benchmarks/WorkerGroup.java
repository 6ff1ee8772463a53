package io.opflow.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;

/** Waits for the workers' consumer group to settle, through the Admin API. */
final class WorkerGroup {
  /** The workers' group id: {@code opflow.worker.group.id}'s default. */
  static final String GROUP_ID = io.opflow.worker.WorkerConfig.DEFAULT_GROUP_ID;

  private WorkerGroup() {}

  /**
   * Waits until the workers' group is stable with exactly {@code members} members.
   *
   * @param admin a client of the broker
   * @param members how many workers
   * @param timeout the longest wait
   * @throws IllegalStateException when it does not settle in time, saying how it was
   * @throws ExecutionException when the broker refuses the request
   * @throws InterruptedException when interrupted
   */
  static void awaitStable(Admin admin, int members, Duration timeout)
      throws ExecutionException, InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    ConsumerGroupDescription group = describe(admin);
    while (!(group.groupState() == GroupState.STABLE && group.members().size() == members)) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException(
            "workers' group is "
                + group.groupState()
                + " with "
                + group.members().size()
                + " members, not stable with "
                + members
                + ", after "
                + timeout);
      }
      Thread.sleep(100);
      group = describe(admin);
    }
  }

  private static ConsumerGroupDescription describe(Admin admin)
      throws ExecutionException, InterruptedException {
    return admin.describeConsumerGroups(List.of(GROUP_ID)).all().get().get(GROUP_ID);
  }
}
