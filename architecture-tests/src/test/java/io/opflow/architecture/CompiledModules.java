package io.opflow.architecture;

import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.LocationProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Where the rules find the classes they check: each module's {@code target/classes} and, for {@link
 * WithTests}, its {@code target/test-classes}. The reactor builds every module before this one
 * (they are its dependencies); a folder that is missing fails the test rather than letting a rule
 * pass on nothing.
 */
final class CompiledModules {
  private CompiledModules() {}

  /** Returns the root of the repository: the build passes it, an IDE runs in this module. */
  static Path root() {
    String root = System.getProperty("opflow.root");
    return (root == null ? Path.of("..") : Path.of(root)).toAbsolutePath().normalize();
  }

  static Set<Location> locations(boolean tests) {
    Path root = root();
    Set<Location> locations = new LinkedHashSet<>();
    for (OpflowModule module : OpflowModule.values()) {
      locations.add(existing(module, module.classes(root, false)));
      if (tests && module.hasTests(root)) {
        locations.add(existing(module, module.classes(root, true)));
      }
    }
    return locations;
  }

  private static Location existing(OpflowModule module, Path classes) {
    if (!Files.isDirectory(classes)) {
      throw new IllegalStateException(
          "No compiled classes of module "
              + module.directory()
              + " at "
              + classes
              + ": build it first (mvn -pl architecture-tests -am verify)");
    }
    return Location.of(classes);
  }

  /** The production classes of every module. */
  static final class Main implements LocationProvider {
    @Override
    public Set<Location> get(Class<?> testClass) {
      return locations(false);
    }
  }

  /** The production and test classes of every module. */
  static final class WithTests implements LocationProvider {
    @Override
    public Set<Location> get(Class<?> testClass) {
      return locations(true);
    }
  }
}
