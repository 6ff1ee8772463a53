package io.opflow.cli.internal;

import io.opflow.core.DefinitionException;
import io.opflow.core.Definitions;
import io.opflow.core.DefinitionsProvider;
import io.opflow.core.JobDefinition;
import io.opflow.core.RunStatusSensor;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds the definitions a command runs: the user's, found with {@link ServiceLoader}, unless a
 * provider class is named or the example is asked for.
 *
 * <p>The example's provider is not in the lean {@code opflow.jar}: it ships in {@code
 * opflow-dev.jar} (for {@code dev}) and, as its own jar, in the opflow image (for {@code
 * --example}). It is never picked up by the search: with the user's jar on the class path there is
 * then one provider, not two. When several user providers are found their definitions are combined;
 * two jobs of the same name are refused, naming both classes and the jars they came from.
 */
public final class DefinitionsLoader {
  private static final String SERVICE_FILE =
      "META-INF/services/" + DefinitionsProvider.class.getName();

  /**
   * Opflow's example provider, by name: the lean {@code opflow.jar} does not carry it, so it is
   * looked up on the class path.
   */
  public static final String EXAMPLE_CLASS = "io.opflow.examples.slack.ExampleDefinitions";

  private DefinitionsLoader() {}

  /**
   * Definitions and where they came from, for people.
   *
   * @param definitions the definitions
   * @param source the provider class or classes, with their jars, and the jobs
   */
  public record Loaded(Definitions definitions, String source) {}

  /**
   * Returns the example definitions that {@code dev} runs, from the class path.
   *
   * @return the example's jobs and sensor
   * @throws DefinitionException if the example is not on the class path, saying where it is
   */
  public static Loaded example() {
    Class<?> type;
    try {
      type = Class.forName(EXAMPLE_CLASS, true, DefinitionsLoader.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw problem(
          "Opflow's example definitions ("
              + EXAMPLE_CLASS
              + ") are not on the class path: the lean opflow.jar does not carry them. Use"
              + " opflow-dev.jar (java -jar dev/target/opflow-dev.jar ...), put the example's"
              + " jar on the class path (java -cp"
              + " opflow.jar:examples/slack-hooks/target/opflow-example-slack-hooks.jar"
              + " io.opflow.cli.Main ...), or run the opflow image, which has it");
    }
    if (!DefinitionsProvider.class.isAssignableFrom(type)) {
      throw problem(EXAMPLE_CLASS + " does not implement " + DefinitionsProvider.class.getName());
    }
    return describe(
        instantiate(type.asSubclass(DefinitionsProvider.class)).definitions(), List.of(type));
  }

  /**
   * Loads the definitions of a provider named by class.
   *
   * @param className the provider's class name
   * @return the definitions
   * @throws DefinitionException if the class is missing or not a usable provider
   */
  public static Loaded byClass(String className) {
    Definitions definitions = Definitions.load(className);
    return new Loaded(definitions, className + ", jobs: " + jobNames(definitions));
  }

  /**
   * Finds every {@link DefinitionsProvider} registered on the class path but the example's.
   *
   * @param loader the class loader to search
   * @return the definitions of the one provider found, or those of all found, combined
   * @throws DefinitionException if none is found, a registration is broken, or two providers define
   *     a job of the same name
   */
  public static Loaded found(ClassLoader loader) {
    List<Class<? extends DefinitionsProvider>> types = providerTypes(loader);
    if (types.isEmpty()) {
      throw problem(
          "no DefinitionsProvider found on the class path (Opflow's example is used only by dev"
              + " and with --example). Put the jar with your definitions on the class path"
              + " (java -cp opflow.jar:my-defs.jar io.opflow.cli.Main ...; in the opflow image,"
              + " copy it to /opt/opflow/definitions/) and register your provider in "
              + SERVICE_FILE
              + ", or name it with --definitions CLASS; to run the example jobs, add --example");
    }
    Map<Class<?>, Definitions> byProvider = new LinkedHashMap<>();
    types.forEach(type -> byProvider.put(type, instantiate(type).definitions()));
    return describe(combine(byProvider), types);
  }

  private static List<Class<? extends DefinitionsProvider>> providerTypes(ClassLoader loader) {
    try {
      return ServiceLoader.load(DefinitionsProvider.class, loader).stream()
          .map(ServiceLoader.Provider::type)
          .filter(type -> !type.getName().equals(EXAMPLE_CLASS))
          .sorted(Comparator.comparing(Class::getName))
          .collect(Collectors.toList());
    } catch (ServiceConfigurationError e) {
      throw problem("a registration in " + SERVICE_FILE + " is broken: " + e.getMessage());
    }
  }

  private static DefinitionsProvider instantiate(Class<? extends DefinitionsProvider> type) {
    try {
      return type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw problem(type.getName() + " needs a public no-argument constructor (" + e + ")");
    }
  }

  private static Definitions combine(Map<Class<?>, Definitions> byProvider) {
    if (byProvider.size() == 1) {
      return byProvider.values().iterator().next();
    }
    Map<String, Class<?>> owner = new LinkedHashMap<>();
    List<String> duplicates = new ArrayList<>();
    Definitions.Builder combined = Definitions.builder();
    List<String> versions = new ArrayList<>();
    byProvider.forEach(
        (type, definitions) -> {
          for (JobDefinition job : definitions.jobs().values()) {
            Class<?> first = owner.putIfAbsent(job.name(), type);
            if (first != null) {
              duplicates.add(duplicate(job.name(), first, type));
            } else {
              combined.jobs(job);
            }
          }
          combined.sensors(definitions.sensors().toArray(RunStatusSensor[]::new));
          if (!versions.contains(definitions.codeVersion())) {
            versions.add(definitions.codeVersion());
          }
        });
    if (!duplicates.isEmpty()) {
      throw new DefinitionException("code location", duplicates);
    }
    return combined.codeVersion(String.join("+", versions)).build();
  }

  private static String duplicate(String job, Class<?> first, Class<?> second) {
    return "job '"
        + job
        + "' is defined by both "
        + where(first)
        + " and "
        + where(second)
        + "; remove one of them from the class path, or pick one with --definitions CLASS";
  }

  private static Loaded describe(Definitions definitions, List<? extends Class<?>> types) {
    String providers =
        types.stream().map(DefinitionsLoader::where).collect(Collectors.joining(", "));
    return new Loaded(definitions, providers + "; jobs: " + jobNames(definitions));
  }

  private static String jobNames(Definitions definitions) {
    return definitions.jobs().isEmpty()
        ? "(none)"
        : String.join(", ", definitions.jobs().keySet().stream().sorted().toList());
  }

  /** A class name with the jar or folder it was loaded from. */
  static String where(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return type.getName();
    }
    try {
      return type.getName() + " (" + Path.of(source.getLocation().toURI()) + ")";
    } catch (URISyntaxException | IllegalArgumentException e) {
      return type.getName() + " (" + source.getLocation() + ")";
    }
  }

  private static DefinitionException problem(String message) {
    return new DefinitionException("code location", List.of(message));
  }
}
