package io.opflow.core.internal;

import io.opflow.core.Resources;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** The resources an op or hook may see: only its required keys, built on first use. */
public final class RestrictedResources implements Resources {
  private final String owner;
  private final Set<String> keys;
  private final Function<String, Object> provider;

  /**
   * Creates a view.
   *
   * @param owner who asks, for messages ("op 'a'", "hook 'h'")
   * @param keys the keys the owner declared
   * @param provider builds or returns the resource for a key
   */
  public RestrictedResources(String owner, Set<String> keys, Function<String, Object> provider) {
    this.owner = owner;
    this.keys = Set.copyOf(keys);
    this.provider = provider;
  }

  @Override
  public <T> T get(String key, Class<T> type) {
    if (!keys.contains(key)) {
      throw new IllegalArgumentException(
          owner
              + " did not declare resource '"
              + key
              + "' as required; declared: "
              + (keys.isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(keys)))
              + ". Add it to requiredResourceKeys(...)");
    }
    Object resource = provider.apply(key);
    if (!type.isInstance(resource)) {
      throw new IllegalArgumentException(
          "resource '"
              + key
              + "' is a "
              + resource.getClass().getName()
              + ", not a "
              + type.getName());
    }
    return type.cast(resource);
  }

  @Override
  public Set<String> keys() {
    return keys;
  }
}
