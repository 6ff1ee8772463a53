package io.opflow.schemas;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The two kinds of records Opflow writes to Kafka, each with its own Avro namespace (hence Java
 * package) and its own compatibility promise. See {@code docs/event-contract.md}, "The public
 * contract and the internal protocol".
 *
 * <p>Both kinds ship in {@code opflow-schemas}; only the public contract is an API for consumers.
 */
public enum ContractKind {
  /**
   * Step, hook and run events, for custom consumers, dashboards and other languages: every change
   * is compatible both ways, so a reader and a writer of any released version read each other.
   */
  PUBLIC_CONTRACT("io.opflow.events", List.of("StepEvent", "HookEvent", "RunEvent")),
  /**
   * The private protocol of Opflow's roles: step tasks and run commands. Not a supported API. The
   * current reader reads every released writer, and no more is promised: a rolling upgrade goes
   * readers first (workers before the coordinator, the coordinator before clients).
   */
  INTERNAL_PROTOCOL("io.opflow.protocol", List.of("StepTask", "RunCommand"));

  private final String namespace;
  private final List<String> topLevelSchemas;

  ContractKind(String namespace, List<String> topLevelSchemas) {
    this.namespace = namespace;
    this.topLevelSchemas = topLevelSchemas;
  }

  /**
   * Returns the Avro namespace of the named types this kind defines, which is also the Java package
   * of their generated classes. The internal protocol may use types of the public contract (its
   * {@code HookRef} uses {@code io.opflow.events.HookKind}); the public contract never uses a type
   * of the internal protocol.
   *
   * @return a namespace such as {@code io.opflow.events}
   */
  public String namespace() {
    return namespace;
  }

  /**
   * Returns the simple names of the top-level schemas of this kind, one per topic that carries it.
   *
   * @return names such as {@code StepEvent}
   */
  public List<String> topLevelSchemas() {
    return topLevelSchemas;
  }

  /**
   * Returns the kind of a top-level schema, by its simple name.
   *
   * @param simpleName a name such as {@code StepTask}
   * @return its kind, or empty when Opflow writes no such top-level schema
   */
  public static Optional<ContractKind> ofTopLevelSchema(String simpleName) {
    return Arrays.stream(values()).filter(k -> k.topLevelSchemas.contains(simpleName)).findFirst();
  }
}
