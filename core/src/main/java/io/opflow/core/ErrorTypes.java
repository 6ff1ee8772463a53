package io.opflow.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Names of an error type and its supertypes, as retry policies match them. */
final class ErrorTypes {
  private ErrorTypes() {}

  static List<String> namesOf(Class<?> type) {
    Set<String> names = new LinkedHashSet<>();
    collect(type, names);
    return new ArrayList<>(names);
  }

  private static void collect(Class<?> type, Set<String> names) {
    if (type == null || type == Object.class) {
      return;
    }
    names.add(type.getName());
    collect(type.getSuperclass(), names);
    for (Class<?> implemented : type.getInterfaces()) {
      collect(implemented, names);
    }
  }
}
