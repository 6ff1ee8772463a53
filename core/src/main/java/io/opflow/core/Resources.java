package io.opflow.core;

import java.util.Set;

/** The resources visible to an op or a hook: exactly the keys it declared as required. */
public interface Resources {
  /**
   * Returns the resource under {@code key}.
   *
   * @throws IllegalArgumentException if the key was not declared as required, or the resource is
   *     not of the requested type
   */
  <T> T get(String key, Class<T> type);

  /** Returns the keys available. */
  Set<String> keys();
}
