package io.opflow.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Optional;
import java.util.function.BiPredicate;

/** Predicates and conditions over classes in terms of the modules that own them. */
final class ModuleConditions {
  private ModuleConditions() {}

  /** Returns the module that owns a class's package, if an Opflow module does. */
  static Optional<OpflowModule> moduleOf(JavaClass javaClass) {
    return OpflowModule.owning(javaClass.getBaseComponentType().getPackageName());
  }

  /** Classes of a module of the given kind. */
  static DescribedPredicate<JavaClass> inModulesOfKind(OpflowModule.Kind kind) {
    return DescribedPredicate.describe(
        "are in a module of kind " + kind,
        c -> moduleOf(c).map(m -> m.kind() == kind).orElse(false));
  }

  /** Classes of one module. */
  static DescribedPredicate<JavaClass> inModule(OpflowModule module) {
    return DescribedPredicate.describe(
        "are in module " + module.directory(), c -> moduleOf(c).equals(Optional.of(module)));
  }

  /**
   * A condition on each dependency of a class on a class of another Opflow module: it holds when
   * {@code allowed} accepts the origin's module, the target's module and the target's package.
   */
  static ArchCondition<JavaClass> dependOnOtherModulesOnlyWhere(
      String description, ModuleDependencyRule allowed) {
    return new ArchCondition<>(description) {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        Optional<OpflowModule> from = moduleOf(origin);
        for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
          JavaClass target = dependency.getTargetClass().getBaseComponentType();
          Optional<OpflowModule> to = moduleOf(target);
          if (from.isPresent()
              && to.isPresent()
              && from.get() != to.get()
              && !allowed.test(from.get(), to.get(), target.getPackageName())) {
            String message =
                dependency.getDescription()
                    + " ["
                    + from.get().directory()
                    + " -> "
                    + to.get().directory()
                    + "]";
            events.add(SimpleConditionEvent.violated(dependency, message));
          }
        }
      }
    };
  }

  /** Which dependencies from one module to a package of another are allowed. */
  @FunctionalInterface
  interface ModuleDependencyRule {
    boolean test(OpflowModule from, OpflowModule to, String targetPackage);
  }

  /** Shortens {@link #dependOnOtherModulesOnlyWhere} for rules that ignore the package. */
  static ModuleDependencyRule modules(BiPredicate<OpflowModule, OpflowModule> allowed) {
    return (from, to, targetPackage) -> allowed.test(from, to);
  }
}
