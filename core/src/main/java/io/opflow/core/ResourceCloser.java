package io.opflow.core;

/**
 * Releases a resource when the run or step that built it is done.
 *
 * @param <T> the resource type
 */
@FunctionalInterface
public interface ResourceCloser<T> {
  /** Closes the resource. */
  void close(T resource) throws Exception;

  /** Returns the closer that closes {@link AutoCloseable} resources and ignores the rest. */
  static <T> ResourceCloser<T> closeIfAutoCloseable() {
    return resource -> {
      if (resource instanceof AutoCloseable closeable) {
        closeable.close();
      }
    };
  }
}
