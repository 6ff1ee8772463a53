package io.opflow.cli.internal;

import io.opflow.schemas.OpflowTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The Kafka ACLs each Opflow role needs, and no more, on a cluster that authorizes every principal
 * ({@code allow.everyone.if.no.acl.found=false}). Every role may describe the Opflow topics and
 * their configs (a role checks them at start); beyond that:
 *
 * <ul>
 *   <li>worker: read {@code step-tasks} in its group, read {@code run-events} (cancellations, no
 *       group), write {@code step-events} and the dead-letter topic;
 *   <li>hooks-runner: read {@code step-events} and {@code run-events} in its group (one per hook
 *       lane), read {@code hook-events} (its ledger, no group), write {@code hook-events} and the
 *       dead-letter topic;
 *   <li>submitter: write {@code runs} (submit and cancel) and nothing else: it cannot read a run's
 *       events, so it cannot see step outputs;
 *   <li>watcher: read {@code runs}, {@code step-events}, {@code hook-events} and {@code run-events}
 *       (no group), as {@code opflow events}, {@code submit --watch} and {@code hooks replay
 *       --dry-run} do;
 *   <li>ui: a watcher's reads, read the dead-letter topic (the cluster page's dead letters), write
 *       {@code runs} (submit, cancel, re-execute; a {@code --read-only} UI needs no write), and
 *       describe the consumer groups its cluster page shows (comma-separated in {@code group});
 *   <li>coordinator: read {@code runs} and {@code step-events} in its group (the application id),
 *       write {@code step-tasks}, {@code step-events}, {@code run-events} and the dead-letter
 *       topic, all rights on its own internal topics (prefixed by the application id), and its
 *       transactional ids (prefixed the same).
 * </ul>
 *
 * Topics are created by an operator ({@code opflow topics --apply}), so no role needs {@code
 * CREATE} on the cluster.
 */
public final class RoleAcls {
  /** The roles whose ACLs are known. */
  public enum Role {
    COORDINATOR,
    WORKER,
    HOOKS_RUNNER,
    SUBMITTER,
    WATCHER,
    UI;

    /** Returns the role named as on the command line ({@code hooks-runner}). */
    public static Role named(String name) {
      for (Role role : values()) {
        if (role.cliName().equals(name)) {
          return role;
        }
      }
      throw new IllegalArgumentException(
          "unknown role '"
              + name
              + "': one of coordinator, worker, hooks-runner, submitter, watcher, ui");
    }

    /** Returns the name on the command line. */
    public String cliName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private final String principal;
  private final OpflowTopics topics;
  private final List<AclBinding> bindings = new ArrayList<>();

  private RoleAcls(String principal, OpflowTopics topics) {
    this.principal = principal;
    this.topics = topics;
  }

  /**
   * Returns the ACLs of a role.
   *
   * @param role the role
   * @param principal the principal its clients authenticate as, such as {@code User:worker-1}
   * @param topics the Opflow topics
   * @param group the role's consumer group (the coordinator's application id); for the UI, the
   *     groups its cluster page describes, comma-separated; ignored by roles without one
   * @return the bindings, each allowing one operation on one resource from any host
   */
  public static List<AclBinding> of(
      Role role, String principal, OpflowTopics topics, String group) {
    if (!principal.contains(":")) {
      throw new IllegalArgumentException(
          "principal '" + principal + "' has no type: write it as User:" + principal);
    }
    RoleAcls acls = new RoleAcls(principal, topics);
    acls.describeTopics();
    switch (role) {
      case WORKER -> {
        acls.group(group);
        acls.topic(topics.stepTasks(), AclOperation.READ);
        acls.topic(topics.runEvents(), AclOperation.READ);
        acls.topic(topics.stepEvents(), AclOperation.WRITE);
        acls.topic(topics.deadLetter(), AclOperation.WRITE);
      }
      case HOOKS_RUNNER -> {
        acls.group(group);
        acls.topic(topics.stepEvents(), AclOperation.READ);
        acls.topic(topics.runEvents(), AclOperation.READ);
        acls.topic(topics.hookEvents(), AclOperation.READ);
        acls.topic(topics.hookEvents(), AclOperation.WRITE);
        acls.topic(topics.deadLetter(), AclOperation.WRITE);
      }
      case SUBMITTER -> acls.topic(topics.runs(), AclOperation.WRITE);
      case WATCHER -> acls.readEvents();
      case UI -> {
        acls.readEvents();
        acls.topic(topics.deadLetter(), AclOperation.READ);
        acls.topic(topics.runs(), AclOperation.WRITE);
        for (String shown : group.split(",", -1)) {
          if (shown.isBlank()) {
            continue;
          }
          acls.bindings.add(
              acls.binding(
                  ResourceType.GROUP, shown.trim(), PatternType.LITERAL, AclOperation.DESCRIBE));
        }
      }
      case COORDINATOR -> {
        acls.group(group);
        acls.topic(topics.runs(), AclOperation.READ);
        acls.topic(topics.stepEvents(), AclOperation.READ);
        for (String topic :
            List.of(
                topics.stepTasks(), topics.stepEvents(), topics.runEvents(), topics.deadLetter())) {
          acls.topic(topic, AclOperation.WRITE);
        }
        acls.prefixed(ResourceType.TOPIC, group, AclOperation.ALL);
        acls.prefixed(ResourceType.TRANSACTIONAL_ID, group, AclOperation.WRITE);
        acls.prefixed(ResourceType.TRANSACTIONAL_ID, group, AclOperation.DESCRIBE);
      }
    }
    return List.copyOf(acls.bindings);
  }

  /** Returns one binding as a person reads it: {@code ALLOW User:w READ TOPIC opflow.runs}. */
  public static String describe(AclBinding binding) {
    ResourcePattern resource = binding.pattern();
    AccessControlEntry entry = binding.entry();
    return entry.permissionType()
        + " "
        + entry.principal()
        + " "
        + entry.operation()
        + " "
        + resource.resourceType()
        + " "
        + resource.name()
        + (resource.patternType() == PatternType.PREFIXED ? "* (prefixed)" : "");
  }

  private void describeTopics() {
    for (String topic : topics.specs().stream().map(spec -> spec.name()).toList()) {
      topic(topic, AclOperation.DESCRIBE);
      topic(topic, AclOperation.DESCRIBE_CONFIGS);
    }
  }

  private void readEvents() {
    for (String topic :
        List.of(topics.runs(), topics.stepEvents(), topics.hookEvents(), topics.runEvents())) {
      topic(topic, AclOperation.READ);
    }
  }

  private void group(String group) {
    bindings.add(binding(ResourceType.GROUP, group, PatternType.LITERAL, AclOperation.READ));
  }

  private void topic(String topic, AclOperation operation) {
    bindings.add(binding(ResourceType.TOPIC, topic, PatternType.LITERAL, operation));
  }

  private void prefixed(ResourceType type, String prefix, AclOperation operation) {
    bindings.add(binding(type, prefix, PatternType.PREFIXED, operation));
  }

  private AclBinding binding(
      ResourceType type, String name, PatternType pattern, AclOperation operation) {
    return new AclBinding(
        new ResourcePattern(type, name, pattern),
        new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
  }
}
