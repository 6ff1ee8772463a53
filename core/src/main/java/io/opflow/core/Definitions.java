package io.opflow.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * The jobs and run status sensors a process loads: the user's code location. Workers and the
 * hooks-runner load it with {@link #load()} or {@link #load(String)}.
 */
public final class Definitions {
  private final Map<String, JobDefinition> jobs;
  private final List<RunStatusSensor> sensors;
  private final String codeVersion;

  private Definitions(Builder builder) {
    this.jobs = Map.copyOf(builder.jobs);
    this.sensors = List.copyOf(builder.sensors);
    this.codeVersion = builder.codeVersion;
  }

  /** Starts a definitions set. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Loads the one {@link DefinitionsProvider} registered with {@link ServiceLoader}.
   *
   * @throws DefinitionException if none or several are registered
   */
  public static Definitions load() {
    return load(Thread.currentThread().getContextClassLoader());
  }

  /** Loads the one {@link DefinitionsProvider} registered with {@link ServiceLoader}. */
  public static Definitions load(ClassLoader classLoader) {
    List<DefinitionsProvider> providers = new ArrayList<>();
    ServiceLoader.load(DefinitionsProvider.class, classLoader).forEach(providers::add);
    if (providers.size() != 1) {
      throw new DefinitionException(
          "code location",
          List.of(
              (providers.isEmpty() ? "no" : providers.size())
                  + " DefinitionsProvider registered in META-INF/services/"
                  + DefinitionsProvider.class.getName()
                  + "; register exactly one, or name the class with --definitions=CLASS"));
    }
    return providers.get(0).definitions();
  }

  /**
   * Loads definitions from a {@link DefinitionsProvider} class by name.
   *
   * @throws DefinitionException if the class cannot be found, is not a provider, or cannot be built
   */
  public static Definitions load(String providerClassName) {
    try {
      Class<?> type =
          Class.forName(providerClassName, true, Thread.currentThread().getContextClassLoader());
      if (!DefinitionsProvider.class.isAssignableFrom(type)) {
        throw problem(
            providerClassName + " does not implement " + DefinitionsProvider.class.getName());
      }
      return ((DefinitionsProvider) type.getDeclaredConstructor().newInstance()).definitions();
    } catch (ClassNotFoundException e) {
      throw problem(
          "class " + providerClassName + " is not on the classpath; add the jar that holds it");
    } catch (ReflectiveOperationException e) {
      throw problem(providerClassName + " needs a public no-argument constructor (" + e + ")");
    }
  }

  private static DefinitionException problem(String message) {
    return new DefinitionException("code location", List.of(message));
  }

  /** Returns the jobs by name. */
  public Map<String, JobDefinition> jobs() {
    return jobs;
  }

  /**
   * Returns the job of this name.
   *
   * @throws UnknownDefinitionException naming the known jobs if there is none
   */
  public JobDefinition job(String name) {
    JobDefinition job = jobs.get(name);
    if (job == null) {
      throw new UnknownDefinitionException(
          "unknown job '"
              + name
              + "'; known jobs: "
              + (jobs.isEmpty()
                  ? "(none)"
                  : String.join(", ", jobs.keySet().stream().sorted().toList())));
    }
    return job;
  }

  /** Returns the run status sensors. */
  public List<RunStatusSensor> sensors() {
    return sensors;
  }

  /** Returns the code version, carried in each run's job snapshot. */
  public String codeVersion() {
    return codeVersion;
  }

  /** Builds {@link Definitions}. */
  public static final class Builder {
    private final Map<String, JobDefinition> jobs = new LinkedHashMap<>();
    private final List<RunStatusSensor> sensors = new ArrayList<>();
    private String codeVersion = "dev";

    private Builder() {}

    /** Adds jobs; names must be unique. */
    public Builder jobs(JobDefinition... more) {
      for (JobDefinition job : more) {
        if (jobs.putIfAbsent(job.name(), job) != null) {
          throw new DefinitionException(
              "definitions", List.of("two jobs are named '" + job.name() + "'"));
        }
      }
      return this;
    }

    /** Adds run status sensors. */
    public Builder sensors(RunStatusSensor... more) {
      sensors.addAll(List.of(more));
      return this;
    }

    /** Sets the code version; default {@code dev}. */
    public Builder codeVersion(String version) {
      this.codeVersion = Objects.requireNonNull(version, "version");
      return this;
    }

    /** Returns the definitions. */
    public Definitions build() {
      return new Definitions(this);
    }
  }
}
