package io.opflow.cli.internal;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/**
 * What to do when the broker refused a role something: which resource it was refused, and the
 * command that grants the role its ACLs. Kafka's own messages name the resource at best.
 */
public final class AuthorizationHint {
  private AuthorizationHint() {}

  /**
   * Returns the hint for an error whose cause chain holds a Kafka authorization error.
   *
   * @param error the error
   * @param role the role as {@code opflow acls --role} names it, such as {@code worker}
   * @return the hint, or empty when the error is not about authorization
   */
  public static Optional<String> of(Throwable error, String role) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof AuthorizationException refused) {
        return Optional.of(refusal(refused) + "; " + grant(role));
      }
    }
    return Optional.empty();
  }

  private static String refusal(AuthorizationException refused) {
    if (refused instanceof TopicAuthorizationException topic) {
      Set<String> topics = topic.unauthorizedTopics();
      return "the broker refused this principal access to "
          + (topics.isEmpty() ? "a topic" : "topic(s) " + topics);
    }
    if (refused instanceof GroupAuthorizationException group) {
      return "the broker refused this principal the consumer group "
          + (group.groupId() == null ? "" : "'" + group.groupId() + "'");
    }
    if (refused instanceof TransactionalIdAuthorizationException) {
      return "the broker refused this principal its transactional ids";
    }
    if (refused instanceof ClusterAuthorizationException) {
      return "the broker refused this principal a cluster operation (creating topics?)";
    }
    return "the broker refused this principal: " + refused.getMessage();
  }

  private static String grant(String role) {
    return "create the topics as an admin with `opflow topics --apply` and grant this role its"
        + " ACLs with `opflow acls --role "
        + role
        + " --principal User:NAME --apply` (docs/security.md)";
  }
}
