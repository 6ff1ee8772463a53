package io.opflow.benchmarks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;

/**
 * Records and bytes written to every topic of the broker between two snapshots: the Opflow topics,
 * the coordinator's changelog and repartition topics, and Kafka's own {@code __consumer_offsets}
 * and {@code __transaction_state} (offset commits and transactions cost writes too). Records are
 * the growth of the partitions' end offsets, so transaction markers count as records; bytes are the
 * growth of the partitions' log sizes on disk ({@code describeLogDirs}), batch headers included.
 * The raw Kafka floor's {@code bench.*} topics are left out.
 */
final class TopicUsage {
  /**
   * Records and bytes of one topic.
   *
   * @param records end offsets summed over its partitions
   * @param bytes log sizes summed over its partitions
   */
  record Totals(long records, long bytes) {}

  private TopicUsage() {}

  /**
   * Reads the end offsets and log sizes of every topic.
   *
   * @param admin a client of the broker
   * @return topic name to its totals
   * @throws ExecutionException when the broker refuses a request
   * @throws InterruptedException when interrupted
   */
  static Map<String, Totals> snapshot(Admin admin) throws ExecutionException, InterruptedException {
    Set<String> names =
        admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get().stream()
            .filter(n -> !n.startsWith("bench."))
            .collect(Collectors.toSet());
    List<TopicPartition> partitions = new ArrayList<>();
    for (TopicDescription d : admin.describeTopics(names).allTopicNames().get().values()) {
      d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition())));
    }
    Map<String, Long> records = endOffsets(admin, partitions);
    Map<String, Long> bytes = logSizes(admin);
    Map<String, Totals> totals = new TreeMap<>();
    for (String name : names) {
      totals.put(name, new Totals(records.getOrDefault(name, 0L), bytes.getOrDefault(name, 0L)));
    }
    return totals;
  }

  private static Map<String, Long> endOffsets(Admin admin, List<TopicPartition> partitions)
      throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
    Map<String, Long> byTopic = new HashMap<>();
    admin
        .listOffsets(request)
        .all()
        .get()
        .forEach((tp, info) -> byTopic.merge(tp.topic(), info.offset(), Long::sum));
    return byTopic;
  }

  private static Map<String, Long> logSizes(Admin admin)
      throws ExecutionException, InterruptedException {
    List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(Node::id).toList();
    Map<String, Long> byTopic = new HashMap<>();
    for (Map<String, LogDirDescription> dirs :
        admin.describeLogDirs(brokers).allDescriptions().get().values()) {
      for (LogDirDescription dir : dirs.values()) {
        dir.replicaInfos().forEach((tp, info) -> byTopic.merge(tp.topic(), info.size(), Long::sum));
      }
    }
    return byTopic;
  }

  /**
   * Returns what was written between two snapshots, the topics that grew the most bytes first;
   * topics to which nothing was written are left out.
   *
   * @param before the earlier snapshot
   * @param after the later snapshot
   * @return topic name to what was written
   */
  static Map<String, Totals> between(Map<String, Totals> before, Map<String, Totals> after) {
    Map<String, Totals> written = new HashMap<>();
    after.forEach(
        (name, t) -> {
          Totals b = before.getOrDefault(name, new Totals(0, 0));
          Totals d = new Totals(t.records() - b.records(), t.bytes() - b.bytes());
          if (d.records() != 0 || d.bytes() != 0) {
            written.put(name, d);
          }
        });
    Map<String, Totals> sorted = new java.util.LinkedHashMap<>();
    written.entrySet().stream()
        .sorted(
            Comparator.comparingLong((Map.Entry<String, Totals> e) -> e.getValue().bytes())
                .reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  /**
   * Returns a table of what was written: records and bytes per topic, in total and per step.
   *
   * @param written what {@link #between} returned
   * @param steps the steps completed meanwhile
   * @return the table's lines
   */
  static List<String> table(Map<String, Totals> written, long steps) {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "  %-48s %9s %12s %9s %10s", "topic", "records", "bytes", "rec/step", "bytes/step"));
    long records = 0;
    long bytes = 0;
    for (Map.Entry<String, Totals> e : written.entrySet()) {
      lines.add(row(shortName(e.getKey()), e.getValue(), steps));
      records += e.getValue().records();
      bytes += e.getValue().bytes();
    }
    lines.add(row("total", new Totals(records, bytes), steps));
    return lines;
  }

  private static String row(String name, Totals t, long steps) {
    return String.format(
        java.util.Locale.ROOT,
        "  %-48s %9d %12d %9.2f %10.0f",
        name,
        t.records(),
        t.bytes(),
        t.records() / (double) Math.max(1, steps),
        t.bytes() / (double) Math.max(1, steps));
  }

  /** Returns a topic name with every UUID in it replaced by {@code *}, to keep tables narrow. */
  static String shortName(String topic) {
    return topic.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "*");
  }
}
