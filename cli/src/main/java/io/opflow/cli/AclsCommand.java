package io.opflow.cli;

import io.opflow.cli.internal.BadInputException;
import io.opflow.cli.internal.RoleAcls;
import io.opflow.schemas.OpflowTopics;
import io.opflow.ui.UiOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints or creates the ACLs one role needs, for one principal. */
@Command(
    name = "acls",
    mixinStandardHelpOptions = true,
    description =
        "Print the Kafka ACLs a role needs for a principal, and with --apply create them through"
            + " the admin client (docs/security.md). Roles: coordinator, worker, hooks-runner,"
            + " submitter (may only submit and cancel), watcher (reads a run's events).")
final class AclsCommand implements Callable<Integer> {
  private static final Duration ACL_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration ENFORCED_POLL = Duration.ofMillis(100);

  @Mixin AdminOptions admin;

  @Spec CommandSpec spec;

  @Option(
      names = "--role",
      required = true,
      description = "The role: coordinator, worker, hooks-runner, submitter, watcher or ui.")
  String role;

  @Option(
      names = "--principal",
      required = true,
      description = "The principal its clients authenticate as, such as User:worker-1.")
  String principal;

  @Option(
      names = "--group",
      description =
          "The role's consumer group (the coordinator's application id); default the role's:"
              + " opflow-workers, opflow-hooks-runner, opflow-coordinator. For the ui role, the"
              + " groups its cluster page shows, comma-separated (default those three).")
  String group;

  @Option(
      names = "--apply",
      description =
          "Create the ACLs, not only print them, and wait until the broker lists them (it enforces"
              + " them from then on).")
  boolean apply;

  @Override
  public Integer call() throws InterruptedException {
    RoleAcls.Role parsed;
    List<AclBinding> acls;
    try {
      parsed = RoleAcls.Role.named(role);
      acls =
          RoleAcls.of(
              parsed, principal, OpflowTopics.withPrefix(admin.topicPrefix), groupOf(parsed));
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    acls.forEach(acl -> out.println(RoleAcls.describe(acl)));
    if (apply) {
      create(acls);
      out.println(acls.size() + " ACLs created for " + principal + " (" + role + ")");
    }
    out.flush();
    return 0;
  }

  private String groupOf(RoleAcls.Role parsed) {
    if (group != null) {
      return group;
    }
    return switch (parsed) {
      case WORKER -> "opflow-workers";
      case HOOKS_RUNNER -> "opflow-hooks-runner";
      case COORDINATOR -> "opflow-coordinator";
      case UI -> String.join(",", UiOptions.DEFAULT_GROUPS);
      case SUBMITTER, WATCHER -> null;
    };
  }

  // The controller acknowledges ACLs once committed; a broker enforces them only after it applies
  // that metadata, a moment later. Wait until the broker answering here lists them all, so that a
  // role started right after this command is not refused what it was just granted.
  private void create(List<AclBinding> acls) throws InterruptedException {
    try (Admin client = Admin.create(admin.adminProps())) {
      client.createAcls(acls).all().get(ACL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      awaitEnforced(client, acls);
    } catch (ExecutionException | TimeoutException e) {
      throw new BadInputException(
          "could not create the ACLs ("
              + (e.getCause() == null ? e : e.getCause())
              + "): run this as a principal that may alter ACLs (a super user), with its"
              + " settings in --command-config");
    }
  }

  private static void awaitEnforced(Admin client, List<AclBinding> acls)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + ACL_TIMEOUT.toNanos();
    while (!client
        .describeAcls(AclBindingFilter.ANY)
        .values()
        .get(ACL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .containsAll(acls)) {
      if (System.nanoTime() - deadline > 0) {
        throw new BadInputException(
            "the ACLs were created but the broker did not list them within "
                + ACL_TIMEOUT.toSeconds()
                + " s; check that its metadata is up to date, then run this again");
      }
      Thread.sleep(ENFORCED_POLL.toMillis());
    }
  }
}
