package io.opflow.schemas.internal;

import io.opflow.schemas.ContractKind;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Adds the generated record classes to the classes Avro trusts to instantiate while decoding.
 *
 * <p>Why: since 1.12 Avro refuses to load record classes outside a trusted set (guarding against
 * hostile schemas naming arbitrary classes), and by default it trusts none of ours. The readers of
 * this module resolve only schemas they ship, so trusting the packages those schemas generate is
 * safe: one per {@link ContractKind}, {@code io.opflow.events} (the public contract) and {@code
 * io.opflow.protocol} (the internal protocol), and nothing else. The trust is added to whatever
 * global predicate is in force (system properties included), never narrowed.
 */
final class TrustedEventClasses {

  /** The packages of the generated classes, one per contract kind. */
  static final Set<String> PACKAGES =
      Arrays.stream(ContractKind.values())
          .map(ContractKind::namespace)
          .collect(Collectors.toUnmodifiableSet());

  private static boolean installed;

  private TrustedEventClasses() {}

  /** Makes Avro trust {@link #PACKAGES}; does nothing after the first call. */
  static synchronized void install() {
    if (installed) {
      return;
    }
    ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
    ClassSecurityValidator.setGlobal(new OrEventPackages(previous));
    installed = true;
  }

  private record OrEventPackages(ClassSecurityPredicate previous)
      implements ClassSecurityPredicate {
    @Override
    public boolean isTrusted(Class<?> type) {
      return PACKAGES.contains(type.getPackageName()) || previous.isTrusted(type);
    }

    @Override
    public void forbiddenClass(String className) {
      previous.forbiddenClass(className);
    }
  }
}
