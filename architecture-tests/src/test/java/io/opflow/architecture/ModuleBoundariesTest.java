package io.opflow.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static io.opflow.architecture.ModuleConditions.dependOnOtherModulesOnlyWhere;
import static io.opflow.architecture.ModuleConditions.inModulesOfKind;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What every module's code, production and test alike, may reach in other modules: public and
 * {@code spi} packages, never {@code internal} ones; examples, written as a user would, only public
 * packages.
 */
@AnalyzeClasses(locations = CompiledModules.WithTests.class)
class ModuleBoundariesTest {

  /**
   * A module's {@code internal} packages are its own: another module uses its public or spi API.
   */
  @ArchTest
  static final ArchRule internalPackagesAreUsedOnlyByTheirModule =
      classes()
          .should(
              dependOnOtherModulesOnlyWhere(
                  "use no internal package of another module",
                  (from, to, targetPackage) -> !OpflowModule.isInternal(targetPackage)))
          .because("an internal package has no promise to anyone outside its module");

  /** Examples are what users copy: they show the public API only. */
  @ArchTest
  static final ArchRule examplesUseOnlyPublicPackages =
      noClasses()
          .that(inModulesOfKind(OpflowModule.Kind.EXAMPLE))
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.opflow..internal..", "io.opflow..spi..")
          .because("spi packages are for Opflow's own modules and internal ones for their module");

  /**
   * Each class lies in a package of the module it is compiled in, so the module of a package is
   * known from its name: the other rules rely on it, and a new module must be added to {@link
   * OpflowModule}.
   */
  @ArchTest
  static final ArchRule everyClassLiesInItsModulesPackages =
      classes().should(lieInAPackageOfTheirModule());

  private static ArchCondition<JavaClass> lieInAPackageOfTheirModule() {
    Path root = CompiledModules.root();
    return new ArchCondition<>("lie in a package of the module they are compiled in") {
      @Override
      public void check(JavaClass javaClass, ConditionEvents events) {
        Optional<OpflowModule> compiledIn =
            javaClass
                .getSource()
                .map(source -> Path.of(source.getUri()))
                .flatMap(file -> compiledIn(root, file));
        Optional<OpflowModule> owner = ModuleConditions.moduleOf(javaClass);
        if (compiledIn.isEmpty() || !compiledIn.equals(owner)) {
          String message =
              javaClass.getName()
                  + " is compiled in "
                  + compiledIn.map(OpflowModule::directory).orElse("no known module")
                  + " but its package belongs to "
                  + owner.map(OpflowModule::directory).orElse("no module");
          events.add(SimpleConditionEvent.violated(javaClass, message));
        }
      }
    };
  }

  private static Optional<OpflowModule> compiledIn(Path root, Path classFile) {
    for (OpflowModule module : OpflowModule.values()) {
      if (classFile.startsWith(module.classes(root, false))
          || classFile.startsWith(module.classes(root, true))) {
        return Optional.of(module);
      }
    }
    return Optional.empty();
  }
}
