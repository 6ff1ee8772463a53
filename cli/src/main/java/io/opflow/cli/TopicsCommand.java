package io.opflow.cli;

import io.opflow.cli.internal.BadInputException;
import io.opflow.schemas.OpflowTopics;
import io.opflow.schemas.TopicAdmin;
import io.opflow.schemas.TopicMismatch;
import io.opflow.schemas.TopicSpec;
import java.io.PrintWriter;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints or creates the Opflow topics, for a cluster where roles may not create topics. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description =
        "Print the Opflow topics with their partitions, replication factor and configs, and with"
            + " --apply create the missing ones and check the others (docs/security.md).")
final class TopicsCommand implements Callable<Integer> {
  @Mixin AdminOptions admin;

  @Spec CommandSpec spec;

  @Option(
      names = "--partitions",
      description = "Partitions of each topic (default: the roles' default, 6; step-tasks 12).")
  Integer partitions;

  @Option(
      names = "--replication-factor",
      defaultValue = "1",
      description =
          "Replication factor of each topic (default: ${DEFAULT-VALUE}; 3 in production).")
  short replicationFactor;

  @Option(names = "--apply", description = "Create the missing topics and check the others.")
  boolean apply;

  @Override
  public Integer call() {
    OpflowTopics topics = topics();
    PrintWriter out = spec.commandLine().getOut();
    for (TopicSpec topic : topics.specs()) {
      out.println(
          topic.name()
              + " partitions="
              + topic.partitions()
              + " replication.factor="
              + topic.replicationFactor()
              + " "
              + new TreeMap<>(topic.configs()));
    }
    if (!apply) {
      out.flush();
      return 0;
    }
    List<TopicMismatch> mismatches;
    try (TopicAdmin topicAdmin = TopicAdmin.create(admin.adminProps())) {
      mismatches = topicAdmin.ensureTopics(topics);
    } catch (RuntimeException e) {
      throw new BadInputException(
          "could not create or check the topics ("
              + e.getMessage()
              + "): run this as a principal that may create topics, with its settings in"
              + " --command-config");
    }
    mismatches.forEach(m -> out.println("differs: " + m.message()));
    out.println(
        topics.specs().size()
            + " topics present"
            + (mismatches.isEmpty()
                ? " as specified"
                : ", " + mismatches.size() + " settings differ"));
    out.flush();
    return mismatches.isEmpty() ? 0 : Main.BAD_INPUT;
  }

  private OpflowTopics topics() {
    OpflowTopics.Builder builder =
        OpflowTopics.builder().prefix(admin.topicPrefix).replicationFactor(replicationFactor);
    if (partitions != null) {
      builder.partitions(partitions);
    }
    return builder.build();
  }
}
