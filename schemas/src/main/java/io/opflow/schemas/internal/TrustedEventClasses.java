package io.opflow.schemas.internal;

import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Adds the generated event classes to the classes Avro trusts to instantiate while decoding.
 *
 * <p>Why: since 1.12 Avro refuses to load record classes outside a trusted set (guarding against
 * hostile schemas naming arbitrary classes), and by default it trusts none of ours. The readers of
 * this module resolve only schemas they ship, so trusting their one package is safe. The trust is
 * added to whatever global predicate is in force (system properties included), never narrowed.
 */
final class TrustedEventClasses {

  static final String PACKAGE = "io.opflow.events";

  private static boolean installed;

  private TrustedEventClasses() {}

  /** Makes Avro trust {@value #PACKAGE}; does nothing after the first call. */
  static synchronized void install() {
    if (installed) {
      return;
    }
    ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
    ClassSecurityValidator.setGlobal(new OrEventPackage(previous));
    installed = true;
  }

  private record OrEventPackage(ClassSecurityPredicate previous) implements ClassSecurityPredicate {
    @Override
    public boolean isTrusted(Class<?> type) {
      return PACKAGE.equals(type.getPackageName()) || previous.isTrusted(type);
    }

    @Override
    public void forbiddenClass(String className) {
      previous.forbiddenClass(className);
    }
  }
}
