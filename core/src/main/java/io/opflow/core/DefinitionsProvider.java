package io.opflow.core;

/**
 * The user's code location: a class with a public no-argument constructor that returns the
 * definitions a process loads. Register it for {@link java.util.ServiceLoader} in {@code
 * META-INF/services/io.opflow.core.DefinitionsProvider}, or name it with {@code
 * --definitions=CLASS}.
 */
@FunctionalInterface
public interface DefinitionsProvider {
  /** Returns the definitions. */
  Definitions definitions();
}
