package io.opflow.architecture;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Opflow's modules: the folder of each, the packages it owns and the modules its production code
 * may use. This is the module graph of {@code docs/architecture.md}; the rules check the code
 * against it.
 */
enum OpflowModule {
  CORE("core", Kind.LIBRARY, List.of("io.opflow.core")),
  SCHEMAS(
      "schemas",
      Kind.LIBRARY,
      List.of("io.opflow.schemas", "io.opflow.events", "io.opflow.protocol")),
  TESTKIT("testkit", Kind.LIBRARY, List.of("io.opflow.testkit")),
  RUNTIME("runtime", Kind.LIBRARY, List.of("io.opflow.runtime"), CORE, SCHEMAS),
  CLIENT("client", Kind.LIBRARY, List.of("io.opflow.client"), CORE, SCHEMAS),
  COORDINATOR("coordinator", Kind.ROLE, List.of("io.opflow.coordinator"), CORE, SCHEMAS, RUNTIME),
  WORKER("worker", Kind.ROLE, List.of("io.opflow.worker"), CORE, SCHEMAS, RUNTIME),
  HOOKS_RUNNER("hooks-runner", Kind.ROLE, List.of("io.opflow.hooks"), CORE, SCHEMAS, RUNTIME),
  UI("ui", Kind.ROLE, List.of("io.opflow.ui"), CORE, SCHEMAS, CLIENT),
  EXAMPLE_SLACK_HOOKS(
      "examples/slack-hooks", Kind.EXAMPLE, List.of("io.opflow.examples.slack"), CORE),
  EXAMPLE_CUSTOM_CONSUMER(
      "examples/custom-consumer", Kind.EXAMPLE, List.of("io.opflow.examples.consumer"), SCHEMAS),
  TESTKIT_CLUSTER(
      "testkit-cluster",
      Kind.ASSEMBLY,
      List.of("io.opflow.testkit.cluster"),
      CORE,
      SCHEMAS,
      RUNTIME,
      CLIENT,
      COORDINATOR,
      WORKER,
      HOOKS_RUNNER,
      TESTKIT),
  /**
   * The {@code opflow} command, the lean {@code opflow.jar}: the roles, no broker, no testkit, no
   * example.
   */
  CLI(
      "cli",
      Kind.ASSEMBLY,
      List.of("io.opflow.cli"),
      CORE,
      SCHEMAS,
      RUNTIME,
      CLIENT,
      COORDINATOR,
      WORKER,
      HOOKS_RUNNER,
      UI),
  /**
   * {@code opflow-dev.jar}: the command plus {@code dev} and {@code broker}, which run an embedded
   * broker (testkit, testkit-cluster) and the example.
   */
  DEV(
      "dev",
      Kind.ASSEMBLY,
      List.of("io.opflow.dev"),
      CORE,
      SCHEMAS,
      RUNTIME,
      CLIENT,
      UI,
      TESTKIT,
      TESTKIT_CLUSTER,
      EXAMPLE_SLACK_HOOKS,
      CLI),
  CONTAINER_TESTS("container-tests", Kind.ASSEMBLY, List.of("io.opflow.containers")),
  BENCHMARKS(
      "benchmarks",
      Kind.ASSEMBLY,
      List.of("io.opflow.benchmarks"),
      CORE,
      SCHEMAS,
      RUNTIME,
      CLIENT,
      COORDINATOR,
      WORKER,
      HOOKS_RUNNER,
      TESTKIT,
      TESTKIT_CLUSTER,
      CLI);

  /** What a module is for, which decides some of the rules. */
  enum Kind {
    /** Shared below the roles: core, schemas, runtime, client, testkit. */
    LIBRARY,
    /** A process of an Opflow cluster; no role uses another. */
    ROLE,
    /** Puts roles together: the command, the test cluster, benchmarks, container tests. */
    ASSEMBLY,
    /** Written as a user would: public packages only. */
    EXAMPLE
  }

  private final String directory;
  private final Kind kind;
  private final List<String> packages;
  private final Set<OpflowModule> uses;

  OpflowModule(String directory, Kind kind, List<String> packages, OpflowModule... uses) {
    this.directory = directory;
    this.kind = kind;
    this.packages = List.copyOf(packages);
    // A plain set: an EnumSet cannot be made while the enum's constants are being made.
    this.uses = Set.of(uses);
  }

  /** Returns the module's folder, relative to the root of the repository. */
  String directory() {
    return directory;
  }

  Kind kind() {
    return kind;
  }

  /** Returns whether this module's production code may use {@code other}'s. */
  boolean mayUse(OpflowModule other) {
    return other == this || uses.contains(other);
  }

  /** Returns the folder of the module's compiled classes, main or test. */
  Path classes(Path root, boolean tests) {
    return root.resolve(directory).resolve("target").resolve(tests ? "test-classes" : "classes");
  }

  /** Returns whether the module has test sources, hence test classes once built. */
  boolean hasTests(Path root) {
    return root.resolve(directory).resolve("src/test/java").toFile().isDirectory();
  }

  /**
   * Returns the module that owns a package: the one with the longest of its packages that the
   * package is or lies in ({@code io.opflow.testkit.cluster} belongs to testkit-cluster, not to
   * testkit).
   */
  static Optional<OpflowModule> owning(String packageName) {
    return Arrays.stream(values())
        .flatMap(
            m -> m.packages.stream().filter(p -> within(packageName, p)).map(p -> new Owner(m, p)))
        .max(Comparator.comparingInt(o -> o.root().length()))
        .map(Owner::module);
  }

  /** Returns whether a package is an {@code internal} package or lies in one. */
  static boolean isInternal(String packageName) {
    return Arrays.asList(packageName.split("\\.")).contains("internal");
  }

  /** Returns whether a package is an {@code spi} package or lies in one. */
  static boolean isSpi(String packageName) {
    return Arrays.asList(packageName.split("\\.")).contains("spi");
  }

  private static boolean within(String packageName, String root) {
    return packageName.equals(root) || packageName.startsWith(root + ".");
  }

  private record Owner(OpflowModule module, String root) {}
}
