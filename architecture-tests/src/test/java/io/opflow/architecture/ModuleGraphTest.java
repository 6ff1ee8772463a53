package io.opflow.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static io.opflow.architecture.ModuleConditions.dependOnOtherModulesOnlyWhere;
import static io.opflow.architecture.ModuleConditions.inModule;
import static io.opflow.architecture.ModuleConditions.inModulesOfKind;
import static io.opflow.architecture.ModuleConditions.modules;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * How the production code of the modules may depend on each other: the module graph of {@link
 * OpflowModule}, with the rules it implies spelt out so that a failure names the principle broken.
 */
@AnalyzeClasses(locations = CompiledModules.Main.class)
class ModuleGraphTest {

  /** Core is what a definitions jar depends on: no Kafka, Avro or other Opflow module in it. */
  @ArchTest
  static final ArchRule coreUsesOnlyTheJdkJacksonAndSlf4j =
      classes()
          .that(inModule(OpflowModule.CORE))
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              "java..", "io.opflow.core..", "com.fasterxml.jackson..", "org.slf4j..")
          .because("definitions and the in-process executor must run without Kafka");

  /**
   * The coordinator, worker, hooks-runner and UI are separate processes that talk through Kafka.
   */
  @ArchTest
  static final ArchRule rolesDoNotUseEachOther =
      classes()
          .that(inModulesOfKind(OpflowModule.Kind.ROLE))
          .should(
              dependOnOtherModulesOnlyWhere(
                  "use no other role", modules((from, to) -> to.kind() != OpflowModule.Kind.ROLE)))
          .because("roles share code through core, schemas, runtime and client, never directly");

  /**
   * A role's engine lifecycle has one home, {@code io.opflow.runtime.spi.RoleEngine}: it binds the
   * role's Kafka client metrics and unbinds them in its ordered close, so no role binds them
   * itself.
   */
  @ArchTest
  static final ArchRule rolesBindClientMetricsOnlyThroughTheRoleEngine =
      noClasses()
          .that(inModulesOfKind(OpflowModule.Kind.ROLE))
          .should()
          .dependOnClassesThat()
          .haveFullyQualifiedName("io.opflow.runtime.KafkaClientMetrics")
          .because("RoleEngine keeps a role's start and close order; see io.opflow.runtime.spi");

  /**
   * The libraries under the roles (core, schemas, runtime, client, testkit) use no role, no
   * assembly and no example.
   */
  @ArchTest
  static final ArchRule librariesUseOnlyLibraries =
      classes()
          .that(inModulesOfKind(OpflowModule.Kind.LIBRARY))
          .should(
              dependOnOtherModulesOnlyWhere(
                  "use only other libraries",
                  modules((from, to) -> to.kind() == OpflowModule.Kind.LIBRARY)))
          .because("a library serves the roles; the roles depend on it, not the other way round");

  /**
   * The public event contract ({@code io.opflow.events}) is what consumers build on; the roles'
   * internal protocol ({@code io.opflow.protocol}) may change in any release, so the contract never
   * uses it.
   */
  @ArchTest
  static final ArchRule thePublicContractDoesNotUseTheInternalProtocol =
      noClasses()
          .that()
          .resideInAPackage("io.opflow.events..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.opflow.protocol..")
          .because("a contract cannot depend on a protocol; see docs/event-contract.md");

  /**
   * Examples show what users may build on: the public contract, not the roles' internal protocol.
   * (Their tests may: {@code PortableSchemasTest} writes the schema file of every record Opflow
   * writes.)
   */
  @ArchTest
  static final ArchRule examplesUseNoInternalProtocol =
      noClasses()
          .that(inModulesOfKind(OpflowModule.Kind.EXAMPLE))
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.opflow.protocol..")
          .because("io.opflow.protocol is not a supported API; see docs/event-contract.md");

  /** Every dependency between modules is an edge of the module graph. */
  @ArchTest
  static final ArchRule modulesUseOnlyTheModulesTheGraphAllows =
      classes()
          .should(
              dependOnOtherModulesOnlyWhere(
                  "use only the modules OpflowModule says they may",
                  modules(OpflowModule::mayUse)));

  /**
   * No cycle between Opflow's top-level packages ({@code io.opflow.core}, {@code
   * io.opflow.worker}...).
   */
  @ArchTest
  static final ArchRule topLevelPackagesHaveNoCycles =
      slices().matching("io.opflow.(*)..").should().beFreeOfCycles();
}
