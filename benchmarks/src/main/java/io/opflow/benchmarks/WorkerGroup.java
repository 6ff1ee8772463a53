package io.opflow.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

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
    Optional<ConsumerGroupDescription> group = describe(admin);
    while (!isStable(group, members)) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException(
            "workers' group is "
                + group
                    .map(g -> g.groupState() + " with " + g.members().size() + " members")
                    .orElse("not there")
                + ", not stable with "
                + members
                + ", after "
                + timeout);
      }
      Thread.sleep(100);
      group = describe(admin);
    }
  }

  private static boolean isStable(Optional<ConsumerGroupDescription> group, int members) {
    return group.isPresent()
        && group.get().groupState() == GroupState.STABLE
        && group.get().members().size() == members;
  }

  /** Returns the group, or empty while no member has joined it yet. */
  private static Optional<ConsumerGroupDescription> describe(Admin admin)
      throws ExecutionException, InterruptedException {
    try {
      return Optional.of(admin.describeConsumerGroups(List.of(GROUP_ID)).all().get().get(GROUP_ID));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
